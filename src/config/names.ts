import { ACCOUNT_ID_LENGTH } from "./aws-facts";

/**
 * The app's stack names: folders under `cdktf.out/stacks/`, and what `cdktf deploy <name>` takes.
 * Here, not beside the stacks, so what operates on deployments can name them without loading
 * the constructs.
 */
export const STACK_NAMES = {
  /** The storage layer users deploy. */
  storage: "site-storage",
  /** The Terraform state bucket, deployed once, first, when the state moves to S3. */
  state: "site-state",
  /** The CI's plan and apply roles, deployed once by an administrator when `ci` is configured. */
  ci: "site-ci",
} as const;

/** The buckets this project derives from `project` and the account id, by role. */
export interface BucketNames {
  /** The CloudFront origin, in the primary region. */
  readonly primary: string;
  /** The Cross-Region Replication target, in the replica region. */
  readonly replica: string;
  /** Server access logs of the primary bucket (same region: S3 requires it). */
  readonly primaryLogs: string;
  /** Server access logs of the replica bucket, in the replica region. */
  readonly replicaLogs: string;
}

/**
 * The bucket names of one deployment. `accountId` is usually a Terraform token (read from STS at
 * plan time); config validation calls this with a 12-digit placeholder to check the rules.
 * The primary, replica and primary log names are the runbook's PRIMARY_BUCKET, REPLICA_BUCKET
 * and LOG_BUCKET.
 */
export function bucketNames(project: string, accountId: string): BucketNames {
  return {
    primary: `${project}-primary-${accountId}`,
    replica: `${project}-replica-${accountId}`,
    primaryLogs: `${project}-logs-${accountId}`,
    replicaLogs: `${project}-replica-logs-${accountId}`,
  };
}

/** KMS alias names, one per region: `alias/<project>-primary`, `alias/<project>-replica`. */
export function keyAliases(project: string): { primary: string; replica: string } {
  return { primary: `alias/${project}-primary`, replica: `alias/${project}-replica` };
}

/**
 * The Terraform state bucket and its access-log bucket, as the `site-state` stack names them
 * when `backend.bucket` is not configured yet.
 */
export function stateBucketNames(project: string, accountId: string): { state: string; logs: string } {
  return { state: `${project}-tfstate-${accountId}`, logs: `${project}-tfstate-logs-${accountId}` };
}

/** The alias of the key that encrypts the Terraform state: `alias/<project>-tfstate`. */
export function stateKeyAlias(project: string): string {
  return `alias/${project}-tfstate`;
}

/**
 * IAM names of the project: the role S3 assumes to replicate, the permissions boundary that caps
 * it when the CI may manage it, and the CI's three roles. Fixed names, not prefixes, so a policy
 * can name exactly these ARNs and nothing else.
 */
export function iamNames(project: string): {
  replicationRole: string;
  replicationBoundary: string;
  ciPlanRole: string;
  ciApplyRole: string;
  ciPublishRole: string;
} {
  return {
    replicationRole: `${project}-s3-replication`,
    replicationBoundary: `${project}-s3-replication-boundary`,
    ciPlanRole: `${project}-ci-plan`,
    ciApplyRole: `${project}-ci-apply`,
    ciPublishRole: `${project}-ci-publish`,
  };
}

/** The lock file Terraform's S3 backend writes beside the state (`use_lockfile`). */
export function lockFileKey(stateObjectKey: string): string {
  return `${stateObjectKey}.tflock`;
}

/** A 12-digit stand-in for the account id, the longest STS ever returns. */
export const PLACEHOLDER_ACCOUNT_ID = "0".repeat(ACCOUNT_ID_LENGTH);

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap"];

/**
 * Every S3 general-purpose bucket naming rule `name` breaks, as sentences (empty when valid).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * Dots are refused too, though S3 allows them: a dotted name breaks TLS for virtual-hosted
 * requests (the wildcard certificate covers one label), and this project is TLS-only.
 */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`must be 3 to 63 characters long (it is ${name.length})`);
  }
  if (!/^[a-z0-9-]*$/.test(name)) {
    problems.push("may contain only lowercase letters, digits and hyphens");
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push("must begin and end with a lowercase letter or digit");
  }
  for (const prefix of RESERVED_PREFIXES) {
    if (name.startsWith(prefix)) problems.push(`must not begin with the reserved prefix "${prefix}"`);
  }
  for (const suffix of RESERVED_SUFFIXES) {
    if (name.endsWith(suffix)) problems.push(`must not end with the reserved suffix "${suffix}"`);
  }
  return problems;
}
