import { bucketArn, keysInRegion } from "../../common/arn";
import { CiCdnProps, cdnReadStatements, cdnWriteStatements } from "./ci-cdn-statements";
import { lockFileKey } from "../../config/names";
import { verifyReadActions } from "../../common/verify-calls";
import { Conditions, PolicyDocument, Statement, policyDocument } from "./document";

/** Everything the CI roles' policies name: the account, the project's resources, the state. */
export interface CiRoleProps {
  readonly partition: string;
  readonly accountId: string;
  /** DNS suffix of the partition ("amazonaws.com"), for `kms:ViaService`. */
  readonly dnsSuffix: string;
  /** The value of the `Project` tag every resource of the project carries (its default tags). */
  readonly projectTag: string;
  /** The regions of the site: the keys live there. */
  readonly regions: readonly string[];
  /** The site's four buckets (primary, replica and their log buckets). */
  readonly siteBucketNames: readonly string[];
  /** The replication role's ARN (a fixed name). */
  readonly replicationRoleArn: string;
  /** The permissions boundary every role the apply role creates or edits must carry. */
  readonly replicationBoundaryArn: string;
  /** ARNs of the site keys' aliases, each in its key's region. */
  readonly keyAliasArns: readonly string[];
  /** The state bucket, the state's object key, the state key's ARN and the state region. */
  readonly stateBucket: string;
  readonly stateObjectKey: string;
  readonly stateKmsKeyArn: string;
  readonly stateRegion: string;
  /** The CDN stage, when the settings declare it (`cdn.enabled`). */
  readonly cdn?: CiCdnProps;
}

/** The audience GitHub's OIDC token carries when configure-aws-credentials asks for it. */
export const GITHUB_AUDIENCE = "sts.amazonaws.com";

/** The issuer of GitHub Actions' OIDC tokens, the prefix of its condition keys. */
export const GITHUB_TOKEN_ISSUER = "token.actions.githubusercontent.com";

/**
 * Who may assume a CI role: only GitHub's OIDC provider, only with the STS audience, and only
 * for these exact `sub` claims (no wildcard: `repo:owner/repo:*` would let any branch, tag or
 * environment of the repository in).
 * https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function githubTrustPolicy(oidcProviderArn: string, subjects: readonly string[]): PolicyDocument {
  return policyDocument([
    {
      Sid: "AllowGitHubActionsOidc",
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB_TOKEN_ISSUER}:aud`]: GITHUB_AUDIENCE,
          [`${GITHUB_TOKEN_ISSUER}:sub`]: [...subjects],
        },
      },
    },
  ]);
}

/** The `sub` claims of a repository's pull requests and of its `main` branch. */
export function planSubjects(repository: string): string[] {
  return [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/main`];
}

/** The `sub` claim of a job that runs in the repository's `production` environment. */
export function applySubjects(repository: string): string[] {
  return [`repo:${repository}:environment:production`];
}

/** `actions`, then every read `npm run verify -- --no-probe` makes on `scope` that they lack, each once. */
function withVerifyReads(actions: readonly string[], scope: "bucket" | "key" | "role"): string[] {
  return [...new Set([...actions, ...verifyReadActions(scope)])];
}

/**
 * What refreshing the site's resources reads, per resource type, as IAM actions: the AWS
 * provider's reads of `aws_s3_bucket` and its standalone configurations, the keys and their
 * aliases, and the replication role; and every read of `npm run verify -- --no-probe` (the one
 * list in `common/verify-calls.ts`), which the apply job runs after the apply. Named one by
 * one, never `s3:Get*` (which includes `s3:GetObject`: the site's content).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
const BUCKET_READ_ACTIONS = withVerifyReads(
  [
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetBucketPolicy",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketWebsite",
    "s3:GetBucketVersioning",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketLogging",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketTagging",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPublicAccessBlock",
  ],
  "bucket",
);
const KEY_READ_ACTIONS = withVerifyReads(
  ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
  "key",
);
const ROLE_READ_ACTIONS = withVerifyReads(
  ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
  "role",
);

/**
 * What creating and updating the site's buckets writes (no `s3:DeleteBucket`: see the apply role).
 * No `s3:DeleteBucketPolicy`: only a destroy deletes a bucket policy (the verifier's probe lifts
 * one on the emulator only; the apply job runs `verify --no-probe`).
 */
const BUCKET_WRITE_ACTIONS = [
  "s3:CreateBucket",
  "s3:PutBucketTagging",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketLogging",
  "s3:PutReplicationConfiguration",
];
/** What managing a key of the project writes (no `kms:ScheduleKeyDeletion`). */
const KEY_WRITE_ACTIONS = [
  "kms:PutKeyPolicy",
  "kms:EnableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:TagResource",
  "kms:UntagResource",
];
/**
 * Aliases name both the alias and the key: KMS checks the permission on each. No
 * `kms:DeleteAlias`: only a destroy, or a replacement after a `project` rename (which replaces
 * the buckets too, an administrator's act), deletes an alias.
 */
const ALIAS_ACTIONS = ["kms:CreateAlias", "kms:UpdateAlias"];
/**
 * What managing the replication role writes; each call must keep its permissions boundary. No
 * `iam:DeleteRolePolicy`: only a destroy or a renamed inline policy calls it.
 */
const ROLE_WRITE_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy"];
/** Role writes that carry no `iam:PermissionsBoundary` key: safe once the boundary caps the role. */
const ROLE_UPDATE_ACTIONS = [
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
];

/** The project's keys, in its regions. */
function projectKeys(props: CiRoleProps): string[] {
  return props.regions.map((region) => keysInRegion(props.partition, region, props.accountId));
}

/** Only resources carrying the project's `Project` tag (KMS evaluates it from the key's tags). */
function taggedWithProject(props: CiRoleProps): Conditions {
  return { StringEquals: { "aws:ResourceTag/Project": props.projectTag } };
}

/** The statements both roles need to refresh the site: read its buckets, keys, aliases and role. */
function refreshStatements(props: CiRoleProps): Statement[] {
  return [
    {
      Sid: "ReadSiteBuckets",
      Effect: "Allow",
      Action: BUCKET_READ_ACTIONS,
      Resource: props.siteBucketNames.map((name) => bucketArn(props.partition, name)),
    },
    {
      Sid: "ReadProjectKeys",
      Effect: "Allow",
      Action: KEY_READ_ACTIONS,
      Resource: projectKeys(props),
      Condition: taggedWithProject(props),
    },
    // ListAliases has no resource-level permission: "*" is the only resource it takes.
    { Sid: "ListKeyAliases", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
    { Sid: "ReadReplicationRole", Effect: "Allow", Action: ROLE_READ_ACTIONS, Resource: props.replicationRoleArn },
  ];
}

/**
 * Neither role may read or manage the state key: they use it only through S3 (UseStateKeyThroughS3).
 * It lives in a site region and carries the project's tag, so the tag-scoped key statements
 * would reach it without this Deny, which no tag change can lift.
 */
function stateKeyGuard(props: CiRoleProps): Statement {
  return {
    Sid: "NeverReadOrManageStateKey",
    Effect: "Deny",
    Action: [...KEY_READ_ACTIONS, ...KEY_WRITE_ACTIONS, ...ALIAS_ACTIONS],
    Resource: props.stateKmsKeyArn,
  };
}

/**
 * The state: list the bucket (the backend lists workspaces; without `s3:ListBucket` a missing
 * key reads as AccessDenied, not NotFound), read the state, take and release the lock file, and
 * use the state key only through S3 in the state's region (the objects are SSE-KMS with it).
 * `writeState` adds `s3:PutObject` on the state itself.
 * https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
function stateStatements(props: CiRoleProps, writeState: boolean): Statement[] {
  const objectArn = (key: string) => `${bucketArn(props.partition, props.stateBucket)}/${key}`;
  return [
    {
      Sid: "ListStateBucket",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucketArn(props.partition, props.stateBucket),
    },
    {
      Sid: writeState ? "ReadAndWriteState" : "ReadState",
      Effect: "Allow",
      Action: writeState ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject",
      Resource: objectArn(props.stateObjectKey),
    },
    {
      Sid: "TakeAndReleaseStateLock",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: objectArn(lockFileKey(props.stateObjectKey)),
    },
    {
      Sid: "UseStateKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: props.stateKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${props.stateRegion}.${props.dnsSuffix}` } },
    },
  ];
}

/**
 * The plan role: read what `terraform plan` reads, read the state, take the lock. It writes
 * nothing but the lock file: a pull request's plan can never change the state or the site.
 */
export function planRolePolicy(props: CiRoleProps): PolicyDocument {
  return policyDocument([
    ...refreshStatements(props),
    ...(props.cdn === undefined ? [] : cdnReadStatements(props.cdn)),
    ...stateStatements(props, false),
    stateKeyGuard(props),
  ]);
}

/**
 * The apply role: the plan role's reads, the state write, and the management of exactly this
 * project's resources:
 * - its four buckets by exact ARN, without `s3:DeleteBucket`;
 * - keys carrying that tag, without `kms:CreateKey` and `kms:ScheduleKeyDeletion`: creating and
 *   deleting a key stay an administrator's acts (with `prevent_destroy` and the plan guard:
 *   nothing is lost from CI). KMS requires `kms:TagResource` in a policy not limited to tagged
 *   keys for a `CreateKey` with tags (the providers' default tags), and IAM cannot tell tagging
 *   a key at creation from tagging an unrelated untagged key: granting it would let the role
 *   take over other keys of the account. So the first deployment is an administrator's;
 * - the CDN stage's distribution in place, and records in its hosted zone (`cdnWriteStatements`);
 * - the aliases `alias/<project>-…` of those keys;
 * - the replication role by its exact ARN, and only with the permissions boundary on it:
 *   `iam:CreateRole` and `iam:PutRolePolicy` require
 *   `iam:PermissionsBoundary` to be that boundary. The boundary is the privilege-escalation
 *   stop: whatever trust or inline policy the apply role writes, the role can never do more
 *   than replicate between the site's buckets. No other role's policies can be touched, and no
 *   boundary can be removed (`iam:DeleteRolePermissionsBoundary` is not granted).
 * - `iam:PassRole` of that role to S3 only.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_boundaries
 */
export function applyRolePolicy(props: CiRoleProps): PolicyDocument {
  return policyDocument([
    ...refreshStatements(props),
    ...(props.cdn === undefined ? [] : [...cdnReadStatements(props.cdn), ...cdnWriteStatements(props.cdn)]),
    ...stateStatements(props, true),
    stateKeyGuard(props),
    {
      Sid: "ManageSiteBuckets",
      Effect: "Allow",
      Action: BUCKET_WRITE_ACTIONS,
      Resource: props.siteBucketNames.map((name) => bucketArn(props.partition, name)),
    },
    {
      Sid: "ManageProjectKeys",
      Effect: "Allow",
      Action: KEY_WRITE_ACTIONS,
      Resource: projectKeys(props),
      Condition: taggedWithProject(props),
    },
    { Sid: "ManageProjectAliases", Effect: "Allow", Action: ALIAS_ACTIONS, Resource: [...props.keyAliasArns] },
    {
      Sid: "PointAliasesAtProjectKeys",
      Effect: "Allow",
      Action: ALIAS_ACTIONS,
      Resource: projectKeys(props),
      Condition: taggedWithProject(props),
    },
    {
      Sid: "ManageReplicationRoleWithinBoundary",
      Effect: "Allow",
      Action: ROLE_WRITE_ACTIONS,
      Resource: props.replicationRoleArn,
      Condition: { StringEquals: { "iam:PermissionsBoundary": props.replicationBoundaryArn } },
    },
    { Sid: "UpdateReplicationRole", Effect: "Allow", Action: ROLE_UPDATE_ACTIONS, Resource: props.replicationRoleArn },
    {
      Sid: "PassReplicationRoleToS3",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: props.replicationRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "s3.amazonaws.com" } },
    },
  ]);
}
