// What every policy the stacks declare allows and refuses, decided by an IAM policy evaluator:
// key policies, bucket policies, the replication role's trust and permissions, the state bucket
// and key, and the CI roles. Each row is one request with the context AWS sends, and the
// decision AWS must make, written from AWS's rules and the design, never from the code's answer.
import { VERIFY_READS, verifyReadActions } from "../../src/common/verify-calls";
import { ACCOUNT, DeployedPolicies, OTHER_ACCOUNT } from "./helpers/deployed-policies";
import { Context, Row, describeRows, itLetsInOnceWeakened, request } from "./helpers/evaluator-rows";
import { Policy, PolicySet, STAND_IN_KEYS, decide, simulate } from "./helpers/iam-evaluator";

const deployed = new DeployedPolicies();

const PRIMARY = `acme-site-primary-${ACCOUNT}`;
const REPLICA = `acme-site-replica-${ACCOUNT}`;
const PRIMARY_LOGS = `acme-site-logs-${ACCOUNT}`;
const STATE_BUCKET = `acme-site-tfstate-${ACCOUNT}`;
const STATE_KEY = "site-storage/terraform.tfstate";
const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const role = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const REPLICATION_ROLE = role("acme-site-s3-replication");
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/acme-site-s3-replication-boundary`;
const ADMIN = role("admin");
const s3 = (bucket: string, key?: string) => `arn:aws:s3:::${bucket}${key === undefined ? "" : `/${key}`}`;

const keys = {
  primary: deployed.keyArnAt("site-storage/primary-key/key"),
  replica: deployed.keyArnAt("site-storage/replica-key/key"),
  state: deployed.keyArnAt("site-state/state-key/key"),
};
const policies = {
  primaryKey: deployed.policy("aws_kms_key_policy", "site-storage/primary-key/policy"),
  replicaKey: deployed.policy("aws_kms_key_policy", "site-storage/replica-key/policy"),
  stateKey: deployed.policy("aws_kms_key_policy", "site-state/state-key/policy"),
  primaryBucket: deployed.policy("aws_s3_bucket_policy", "site-storage/primary-bucket/policy"),
  primaryLogBucket: deployed.policy("aws_s3_bucket_policy", "site-storage/primary-log-bucket/policy"),
  stateBucket: deployed.policy("aws_s3_bucket_policy", "site-state/state-bucket/policy"),
  replicationTrust: deployed.policy("aws_iam_role", "site-storage/replication/role", "assume_role_policy"),
  replicationPermissions: deployed.policy("aws_iam_role_policy", "site-storage/replication/policy"),
  replicationBoundary: deployed.policy("aws_iam_policy", "site-ci/replication-boundary"),
  planTrust: deployed.policy("aws_iam_role", "site-ci/plan-role", "assume_role_policy"),
  planPermissions: deployed.policy("aws_iam_role_policy", "site-ci/plan-policy"),
  applyTrust: deployed.policy("aws_iam_role", "site-ci/apply-role", "assume_role_policy"),
  applyPermissions: deployed.policy("aws_iam_role_policy", "site-ci/apply-policy"),
};

/** An identity policy that allows `actions` on everything: the caller's own IAM says yes, so the resource policy decides. */
const allowedByIam = (...actions: string[]): Policy => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
});
/** What an S3 request over TLS 1.3 carries. */
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
/** The GitHub OIDC claims of one workflow run. */
const github = (sub: string, aud = "sts.amazonaws.com") => ({
  "token.actions.githubusercontent.com:sub": sub,
  "token.actions.githubusercontent.com:aud": aud,
});

/** A request to S3, over TLS unless said. */
const s3Request = (principal: string, action: string, resource: string, context: Context = TLS) =>
  request(principal, action, resource, context);

const KEY_POLICY_ROWS: Row[] = [
  {
    about:
      "an account principal whose IAM policy allows it may use the primary key (the root statement delegates to IAM)",
    request: request(ADMIN, "kms:Decrypt", keys.primary),
    policies: { identity: [allowedByIam("kms:Decrypt")], resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "an account principal without an IAM grant may not use the primary key",
    request: request(ADMIN, "kms:Decrypt", keys.primary),
    policies: { resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "a principal of another account may not use the primary key, whatever its own IAM allows",
    request: request(role("admin", OTHER_ACCOUNT), "kms:Decrypt", keys.primary),
    policies: { identity: [allowedByIam("kms:Decrypt")], resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront may decrypt with the primary key for the configured distribution",
    request: request("cloudfront.amazonaws.com", "kms:Decrypt", keys.primary, {
      "aws:SourceArn": DISTRIBUTION,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "CloudFront may not decrypt for another distribution (confused deputy)",
    request: request("cloudfront.amazonaws.com", "kms:Decrypt", keys.primary, {
      "aws:SourceArn": `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/EOTHER`,
      "aws:SourceAccount": OTHER_ACCOUNT,
    }),
    policies: { resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront may only decrypt: encrypting with the primary key is refused",
    request: request("cloudfront.amazonaws.com", "kms:Encrypt", keys.primary, {
      "aws:SourceArn": DISTRIBUTION,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront may not use the replica key: the replica is never an origin",
    request: request("cloudfront.amazonaws.com", "kms:Decrypt", keys.replica, {
      "aws:SourceArn": DISTRIBUTION,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.replicaKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "S3 may use the replica key on behalf of this account",
    request: request("s3.amazonaws.com", "kms:GenerateDataKey", keys.replica, { "aws:SourceAccount": ACCOUNT }),
    policies: { resource: policies.replicaKey },
    expected: "Allowed",
  },
  {
    about: "S3 may not use the replica key on behalf of another account",
    request: request("s3.amazonaws.com", "kms:GenerateDataKey", keys.replica, {
      "aws:SourceAccount": OTHER_ACCOUNT,
    }),
    policies: { resource: policies.replicaKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "no service may use the state key directly: only account principals through IAM",
    request: request("s3.amazonaws.com", "kms:Decrypt", keys.state, { "aws:SourceAccount": ACCOUNT }),
    policies: { resource: policies.stateKey },
    expected: "ImplicitlyDenied",
  },
];

const BUCKET_POLICY_ROWS: Row[] = [
  {
    about: "an account principal allowed by IAM reads the primary bucket over TLS 1.3",
    request: s3Request(ADMIN, "s3:GetObject", s3(PRIMARY, "index.html")),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.primaryBucket },
    expected: "Allowed",
  },
  {
    about: "the same read without TLS is denied, whatever IAM allows",
    request: s3Request(ADMIN, "s3:GetObject", s3(PRIMARY, "index.html"), { "aws:SecureTransport": "false" }),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.primaryBucket },
    expected: "ExplicitlyDenied",
  },
  {
    about: "the same read over TLS 1.1 is denied",
    request: s3Request(ADMIN, "s3:GetObject", s3(PRIMARY, "index.html"), {
      "aws:SecureTransport": "true",
      "s3:TlsVersion": "1.1",
    }),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.primaryBucket },
    expected: "ExplicitlyDenied",
  },
  {
    about: "a bucket-level call without TLS is denied too (the deny covers the bucket, not only its objects)",
    request: s3Request(ADMIN, "s3:PutBucketPolicy", s3(PRIMARY), { "aws:SecureTransport": "false" }),
    policies: { identity: [allowedByIam("s3:PutBucketPolicy")], resource: policies.primaryBucket },
    expected: "ExplicitlyDenied",
  },
  {
    about: "CloudFront Origin Access Control reads objects for the configured distribution",
    request: s3Request("cloudfront.amazonaws.com", "s3:GetObject", s3(PRIMARY, "index.html"), {
      ...TLS,
      "aws:SourceArn": DISTRIBUTION,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryBucket },
    expected: "Allowed",
  },
  {
    about: "CloudFront may not read for another distribution",
    request: s3Request("cloudfront.amazonaws.com", "s3:GetObject", s3(PRIMARY, "index.html"), {
      ...TLS,
      "aws:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER`,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront may not write to the origin",
    request: s3Request("cloudfront.amazonaws.com", "s3:PutObject", s3(PRIMARY, "index.html"), {
      ...TLS,
      "aws:SourceArn": DISTRIBUTION,
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "a principal of another account may not read the primary bucket",
    request: s3Request(role("reader", OTHER_ACCOUNT), "s3:GetObject", s3(PRIMARY, "index.html")),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "S3 log delivery writes the primary bucket's logs under its prefix",
    request: s3Request(
      "logging.s3.amazonaws.com",
      "s3:PutObject",
      s3(PRIMARY_LOGS, "primary/2026-11-30-00-00-00-ABC"),
      { ...TLS, "aws:SourceArn": s3(PRIMARY), "aws:SourceAccount": ACCOUNT },
    ),
    policies: { resource: policies.primaryLogBucket },
    expected: "Allowed",
  },
  {
    about: "S3 log delivery may not write another bucket's logs (confused deputy)",
    request: s3Request("logging.s3.amazonaws.com", "s3:PutObject", s3(PRIMARY_LOGS, "primary/x"), {
      ...TLS,
      "aws:SourceArn": s3("someone-elses-bucket"),
      "aws:SourceAccount": OTHER_ACCOUNT,
    }),
    policies: { resource: policies.primaryLogBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "S3 log delivery may not write outside the source's prefix",
    request: s3Request("logging.s3.amazonaws.com", "s3:PutObject", s3(PRIMARY_LOGS, "elsewhere/x"), {
      ...TLS,
      "aws:SourceArn": s3(PRIMARY),
      "aws:SourceAccount": ACCOUNT,
    }),
    policies: { resource: policies.primaryLogBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the state bucket refuses a read of the state without TLS",
    request: s3Request(ADMIN, "s3:GetObject", s3(STATE_BUCKET, STATE_KEY), { "aws:SecureTransport": "false" }),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.stateBucket },
    expected: "ExplicitlyDenied",
  },
  {
    about: "the state bucket serves the state over TLS to a principal allowed by IAM",
    request: s3Request(ADMIN, "s3:GetObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: { identity: [allowedByIam("s3:GetObject")], resource: policies.stateBucket },
    expected: "Allowed",
  },
];

const viaS3 = (region: string) => ({ "kms:ViaService": `s3.${region}.amazonaws.com` });
const replicationRole = { identity: [policies.replicationPermissions] };
const REPLICATION_ROWS: Row[] = [
  {
    about: "S3 assumes the replication role for this account and the primary bucket",
    request: request("s3.amazonaws.com", "sts:AssumeRole", REPLICATION_ROLE, {
      "aws:SourceAccount": ACCOUNT,
      "aws:SourceArn": s3(PRIMARY),
    }),
    policies: { resource: policies.replicationTrust },
    expected: "Allowed",
  },
  {
    about: "S3 assumes the replication role when it sends no source keys (no AWS document says replication sends them)",
    request: request("s3.amazonaws.com", "sts:AssumeRole", REPLICATION_ROLE),
    policies: { resource: policies.replicationTrust },
    expected: "Allowed",
  },
  {
    about: "S3 may not assume the role on behalf of another account",
    request: request("s3.amazonaws.com", "sts:AssumeRole", REPLICATION_ROLE, {
      "aws:SourceAccount": OTHER_ACCOUNT,
      "aws:SourceArn": s3("someone-elses-bucket"),
    }),
    policies: { resource: policies.replicationTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "S3 may not assume the role for another bucket of this account",
    request: request("s3.amazonaws.com", "sts:AssumeRole", REPLICATION_ROLE, {
      "aws:SourceAccount": ACCOUNT,
      "aws:SourceArn": s3(PRIMARY_LOGS),
    }),
    policies: { resource: policies.replicationTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "no other service may assume the replication role",
    request: request("ec2.amazonaws.com", "sts:AssumeRole", REPLICATION_ROLE),
    policies: { resource: policies.replicationTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "no account principal may assume the replication role",
    request: request(ADMIN, "sts:AssumeRole", REPLICATION_ROLE),
    policies: { identity: [allowedByIam("sts:AssumeRole")], resource: policies.replicationTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the role reads the primary bucket's replication configuration",
    request: s3Request(REPLICATION_ROLE, "s3:GetReplicationConfiguration", s3(PRIMARY)),
    policies: replicationRole,
    expected: "Allowed",
  },
  {
    about: "the role reads object versions of the primary bucket only",
    request: s3Request(REPLICATION_ROLE, "s3:GetObjectVersionForReplication", s3(PRIMARY_LOGS, "primary/x")),
    policies: replicationRole,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the role writes replicas into the replica bucket",
    request: s3Request(REPLICATION_ROLE, "s3:ReplicateObject", s3(REPLICA, "index.html")),
    policies: replicationRole,
    expected: "Allowed",
  },
  {
    about: "the role may not write replicas back into the primary bucket",
    request: s3Request(REPLICATION_ROLE, "s3:ReplicateObject", s3(PRIMARY, "index.html")),
    policies: replicationRole,
    expected: "ImplicitlyDenied",
  },
  {
    about:
      "the role decrypts a primary object through S3 in the primary region (Bucket Key: the context is the bucket ARN)",
    request: request(REPLICATION_ROLE, "kms:Decrypt", keys.primary, {
      ...viaS3("us-east-1"),
      "kms:EncryptionContext:aws:s3:arn": s3(PRIMARY),
    }),
    policies: { ...replicationRole, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the role decrypts an object encrypted before the Bucket Key (the context is the object ARN)",
    request: request(REPLICATION_ROLE, "kms:Decrypt", keys.primary, {
      ...viaS3("us-east-1"),
      "kms:EncryptionContext:aws:s3:arn": s3(PRIMARY, "old.html"),
    }),
    policies: { ...replicationRole, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the role may not decrypt another bucket's objects with the primary key",
    request: request(REPLICATION_ROLE, "kms:Decrypt", keys.primary, {
      ...viaS3("us-east-1"),
      "kms:EncryptionContext:aws:s3:arn": s3(PRIMARY_LOGS),
    }),
    policies: { ...replicationRole, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the role may not use the primary key outside S3 in its region",
    request: request(REPLICATION_ROLE, "kms:Decrypt", keys.primary, {
      ...viaS3("us-west-2"),
      "kms:EncryptionContext:aws:s3:arn": s3(PRIMARY),
    }),
    policies: { ...replicationRole, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the role encrypts replicas with the replica key through S3 in the replica region",
    request: request(REPLICATION_ROLE, "kms:GenerateDataKey", keys.replica, {
      ...viaS3("us-west-2"),
      "kms:EncryptionContext:aws:s3:arn": s3(REPLICA),
    }),
    policies: { ...replicationRole, resource: policies.replicaKey },
    expected: "Allowed",
  },
  {
    about: "within its permissions boundary the role still replicates",
    request: s3Request(REPLICATION_ROLE, "s3:ReplicateObject", s3(REPLICA, "index.html")),
    policies: { ...replicationRole, boundary: policies.replicationBoundary },
    expected: "Allowed",
  },
  {
    about: "an inline policy widened by the CI cannot take the role past its boundary",
    request: s3Request(REPLICATION_ROLE, "s3:GetObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: { identity: [allowedByIam("s3:GetObject")], boundary: policies.replicationBoundary },
    expected: "ImplicitlyDenied",
  },
];

const plan = { identity: [policies.planPermissions] };
const apply = { identity: [policies.applyPermissions] };
const PLAN_ROLE = role("acme-site-ci-plan");
const APPLY_ROLE = role("acme-site-ci-apply");
const CI_ROWS: Row[] = [
  {
    about: "a pull request's workflow assumes the plan role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", PLAN_ROLE, github("repo:acme/site:pull_request")),
    policies: { resource: policies.planTrust },
    expected: "Allowed",
  },
  {
    about: "a workflow on main assumes the plan role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", PLAN_ROLE, github("repo:acme/site:ref:refs/heads/main")),
    policies: { resource: policies.planTrust },
    expected: "Allowed",
  },
  {
    about: "a workflow on another branch may not assume the plan role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", PLAN_ROLE, github("repo:acme/site:ref:refs/heads/feature")),
    policies: { resource: policies.planTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "another repository's workflow may not assume the plan role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", PLAN_ROLE, github("repo:acme/other:pull_request")),
    policies: { resource: policies.planTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "a token for another audience may not assume the plan role",
    request: request(
      OIDC,
      "sts:AssumeRoleWithWebIdentity",
      PLAN_ROLE,
      github("repo:acme/site:pull_request", "https://example.com"),
    ),
    policies: { resource: policies.planTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the production environment's job assumes the apply role",
    request: request(
      OIDC,
      "sts:AssumeRoleWithWebIdentity",
      APPLY_ROLE,
      github("repo:acme/site:environment:production"),
    ),
    policies: { resource: policies.applyTrust },
    expected: "Allowed",
  },
  {
    about: "a pull request may not assume the apply role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", APPLY_ROLE, github("repo:acme/site:pull_request")),
    policies: { resource: policies.applyTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "main outside the production environment may not assume the apply role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", APPLY_ROLE, github("repo:acme/site:ref:refs/heads/main")),
    policies: { resource: policies.applyTrust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads a site bucket's configuration",
    request: s3Request(PLAN_ROLE, "s3:GetBucketPolicy", s3(PRIMARY)),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not read the site's content",
    request: s3Request(PLAN_ROLE, "s3:GetObject", s3(PRIMARY, "index.html")),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not change a site bucket",
    request: s3Request(PLAN_ROLE, "s3:PutBucketPolicy", s3(PRIMARY)),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads the state",
    request: s3Request(PLAN_ROLE, "s3:GetObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not write the state",
    request: s3Request(PLAN_ROLE, "s3:PutObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role takes the lock",
    request: s3Request(PLAN_ROLE, "s3:PutObject", s3(STATE_BUCKET, `${STATE_KEY}.tflock`)),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role releases the lock",
    request: s3Request(PLAN_ROLE, "s3:DeleteObject", s3(STATE_BUCKET, `${STATE_KEY}.tflock`)),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not delete the state",
    request: s3Request(PLAN_ROLE, "s3:DeleteObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role decrypts the state through S3",
    request: request(PLAN_ROLE, "kms:Decrypt", keys.state, viaS3("us-east-1")),
    policies: { ...plan, resource: policies.stateKey },
    expected: "Allowed",
  },
  {
    about: "the plan role may not use the state key outside S3",
    request: request(PLAN_ROLE, "kms:Decrypt", keys.state),
    policies: { ...plan, resource: policies.stateKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads the project's keys (tagged Project)",
    request: request(PLAN_ROLE, "kms:GetKeyPolicy", keys.primary, { "aws:ResourceTag/Project": "acme-site" }),
    policies: { ...plan, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the plan role may not read another project's key",
    request: request(PLAN_ROLE, "kms:GetKeyPolicy", keys.primary, { "aws:ResourceTag/Project": "payroll" }),
    policies: { ...plan, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not decrypt with a site key",
    request: request(PLAN_ROLE, "kms:Decrypt", keys.primary, {
      "aws:ResourceTag/Project": "acme-site",
      ...viaS3("us-east-1"),
    }),
    policies: { ...plan, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role writes the state",
    request: s3Request(APPLY_ROLE, "s3:PutObject", s3(STATE_BUCKET, STATE_KEY)),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role changes a site bucket's policy",
    request: s3Request(APPLY_ROLE, "s3:PutBucketPolicy", s3(PRIMARY)),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role may not change another bucket",
    request: s3Request(APPLY_ROLE, "s3:PutBucketPolicy", s3("payroll-data")),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not delete a site bucket",
    request: s3Request(APPLY_ROLE, "s3:DeleteBucket", s3(PRIMARY)),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not create an untagged key",
    request: request(APPLY_ROLE, "kms:CreateKey", "*"),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not schedule the deletion of a project key",
    request: request(APPLY_ROLE, "kms:ScheduleKeyDeletion", keys.primary, {
      "aws:ResourceTag/Project": "acme-site",
    }),
    policies: { ...apply, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not tag another project's key into this one",
    request: request(APPLY_ROLE, "kms:TagResource", keys.primary, {
      "aws:ResourceTag/Project": "payroll",
      "aws:RequestTag/Project": "acme-site",
      "aws:TagKeys": ["Project"],
    }),
    policies: { ...apply, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role writes the replication role's policy, the boundary staying on it",
    request: request(APPLY_ROLE, "iam:PutRolePolicy", REPLICATION_ROLE, { "iam:PermissionsBoundary": BOUNDARY }),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role may not write the replication role's policy once the boundary is gone",
    request: request(APPLY_ROLE, "iam:PutRolePolicy", REPLICATION_ROLE),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not create a role under another name, even with the boundary",
    request: request(APPLY_ROLE, "iam:CreateRole", role("acme-site-admin"), { "iam:PermissionsBoundary": BOUNDARY }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not change its own policies (no escalation)",
    request: request(APPLY_ROLE, "iam:PutRolePolicy", APPLY_ROLE, { "iam:PermissionsBoundary": BOUNDARY }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not remove the replication role's boundary",
    request: request(APPLY_ROLE, "iam:DeleteRolePermissionsBoundary", REPLICATION_ROLE, {
      "iam:PermissionsBoundary": BOUNDARY,
    }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role passes the replication role to S3",
    request: request(APPLY_ROLE, "iam:PassRole", REPLICATION_ROLE, { "iam:PassedToService": "s3.amazonaws.com" }),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role may not pass the replication role to another service",
    request: request(APPLY_ROLE, "iam:PassRole", REPLICATION_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not pass another role to S3",
    request: request(APPLY_ROLE, "iam:PassRole", role("admin"), { "iam:PassedToService": "s3.amazonaws.com" }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
];

/**
 * Every read of `npm run verify -- --no-probe` (which the apply job runs after the apply, and a
 * plan-role user may run), for both CI roles: allowed on the site's own bucket, project key and
 * replication role, and still refused elsewhere (another bucket, another account's key, another
 * role). kms:ListAliases takes no resource, so it has no "elsewhere".
 */
/** Verify's reads of the storage layer; those of the CDN stage have their rows in iam-evaluation-cdn.test.ts. */
const STORAGE_READS = verifyReadActions().filter((action) => !/^(cloudfront|acm):/.test(action));
const VERIFY_READ_ROWS: Row[] = [
  ["plan", PLAN_ROLE, plan],
  ["apply", APPLY_ROLE, apply],
].flatMap(([name, principal, identity]) => {
  const who = `the ${name} role`;
  const tagged = { "aws:ResourceTag/Project": "acme-site" };
  const otherKey = `arn:aws:kms:us-east-1:${OTHER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const rows = (action: string): Row[] => {
    const scope = Object.values(VERIFY_READS).find((c) => c.actions.includes(action))?.scope;
    const p = principal as string;
    const set = identity as PolicySet;
    if (scope === "bucket")
      return [
        {
          about: `${who} may ${action} on a site bucket, as verify does`,
          request: s3Request(p, action, s3(REPLICA)),
          policies: set,
          expected: "Allowed",
        },
        {
          about: `${who} may not ${action} on another bucket`,
          request: s3Request(p, action, s3(`payroll-${ACCOUNT}`)),
          policies: set,
          expected: "ImplicitlyDenied",
        },
      ];
    if (scope === "key")
      return [
        {
          about: `${who} may ${action} on a project key, as verify does`,
          request: request(p, action, keys.replica, tagged),
          policies: { ...set, resource: policies.replicaKey },
          expected: "Allowed",
        },
        {
          about: `${who} may not ${action} on another account's key`,
          request: request(p, action, otherKey, tagged, OTHER_ACCOUNT),
          policies: set,
          expected: "ImplicitlyDenied",
        },
      ];
    if (scope === "role")
      return [
        {
          about: `${who} may ${action} on the replication role, as verify does`,
          request: request(p, action, REPLICATION_ROLE),
          policies: set,
          expected: "Allowed",
        },
        {
          about: `${who} may not ${action} on another role`,
          request: request(p, action, role("admin")),
          policies: set,
          expected: "ImplicitlyDenied",
        },
      ];
    return [
      {
        about: `${who} may ${action}, as verify does`,
        request: request(p, action, "*"),
        policies: set,
        expected: "Allowed",
      },
    ];
  };
  return STORAGE_READS.flatMap(rows);
});

describe("the reads npm run verify needs, for both CI roles", () => {
  it("covers every read action verify sends", () => {
    const covered = new Set(VERIFY_READ_ROWS.filter((r) => r.expected === "Allowed").map((r) => r.request.action));
    expect([...covered].sort()).toEqual(STORAGE_READS);
    expect(
      VERIFY_READ_ROWS.filter((r) => r.about.startsWith("the plan role") && r.expected === "Allowed"),
    ).toHaveLength(STORAGE_READS.length);
  });
});

describeRows([
  ["key policies", KEY_POLICY_ROWS],
  ["bucket policies", BUCKET_POLICY_ROWS],
  ["the replication role", REPLICATION_ROWS],
  ["the CI roles", CI_ROWS],
  ["the CI roles' reads for npm run verify", VERIFY_READ_ROWS],
]);

describe("the table can fail: each row below gets another answer from a deliberately weakened policy", () => {
  itLetsInOnceWeakened(
    [...KEY_POLICY_ROWS, ...BUCKET_POLICY_ROWS, ...REPLICATION_ROWS, ...CI_ROWS],
    [
      ["S3 may not use the replica key on behalf of another account", "AllowS3ReplicationUse"],
      ["CloudFront may not decrypt for another distribution (confused deputy)", "AllowCloudFrontToDecrypt"],
      ["S3 may not assume the role on behalf of another account", "AllowS3ToAssumeForReplication"],
      ["the role may not decrypt another bucket's objects with the primary key", "DecryptWithSourceKey"],
      ["a workflow on another branch may not assume the plan role", "AllowGitHubActionsOidc"],
      [
        "the apply role may not write the replication role's policy once the boundary is gone",
        "ManageReplicationRoleWithinBoundary",
      ],
      [
        "the same read without TLS is denied, whatever IAM allows",
        "DenyInsecureTransport",
        (s: Record<string, unknown>) => ({ ...s, Effect: "Allow" }),
      ],
    ],
  );
});

describe("the evaluator's known limit, handled in the open", () => {
  it.each([
    ["kms:Decrypt", "kms:EncryptionContext:aws:s3:arn", keys.primary, s3(PRIMARY)],
    [
      "sts:AssumeRoleWithWebIdentity",
      "token.actions.githubusercontent.com:sub",
      PLAN_ROLE,
      "repo:acme/site:pull_request",
    ],
  ])(
    "iam-simulate still drops the key of %s %s without the stand-in (remove the stand-in when this fails)",
    async (action, key, resource, value) => {
      expect(STAND_IN_KEYS.some((p) => p.test(key))).toBe(true);
      const response = await simulate(
        { principal: ADMIN, action, resource, resourceAccount: ACCOUNT, context: { [key]: value } },
        {},
        false,
      );
      const dropped = response.resultType === "single" ? (response.result.ignoredContextKeys ?? []) : [];
      expect(dropped.map((k) => k.toLowerCase())).toContain(key.toLowerCase());
    },
  );

  it("refuses to decide when a context key is dropped, instead of passing silently", async () => {
    await expect(
      decide(
        {
          principal: ADMIN,
          action: "s3:GetObject",
          resource: s3(PRIMARY, "x"),
          resourceAccount: ACCOUNT,
          context: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        },
        {},
      ),
    ).rejects.toThrow(/dropped context keys kms:viaservice/i);
  });
});
