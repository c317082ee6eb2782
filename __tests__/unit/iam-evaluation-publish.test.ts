// What the CI's publish role may do, decided by an IAM policy evaluator on the deployed policies:
// every call `npm run publish` makes, on the primary bucket, its key through S3 and the
// distribution in front of it, and nothing past them. Two deployments: one with the user's own
// distribution (`cloudfrontDistributionArn`), one with the CDN stage's distribution. Each row is
// one request with the context AWS sends, and the decision AWS must make.
import { ACCOUNT, DEPLOYED_DISTRIBUTION_ID, DeployedPolicies } from "./helpers/deployed-policies";
import { Context, Row, describeRows, itLetsInOnceWeakened, request } from "./helpers/evaluator-rows";

const pinned = new DeployedPolicies();
const withCdn = new DeployedPolicies({
  project: "acme-site",
  backend: { type: "s3", bucket: `acme-site-tfstate-${ACCOUNT}` },
  ci: { githubRepository: "acme/site" },
});

const PRIMARY = `acme-site-primary-${ACCOUNT}`;
const REPLICA = `acme-site-replica-${ACCOUNT}`;
const PRIMARY_LOGS = `acme-site-primary-logs-${ACCOUNT}`;
const STATE = `acme-site-tfstate-${ACCOUNT}`;
const PINNED_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;
const CDN_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/${DEPLOYED_DISTRIBUTION_ID}`;
const OTHER_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2OTHERSITE000`;
const PUBLISH_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-site-ci-publish`;
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const s3 = (bucket: string, key?: string) => `arn:aws:s3:::${bucket}${key === undefined ? "" : `/${key}`}`;
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const PROJECT = { "aws:ResourceTag/Project": "acme-site" };
const OTHER_PROJECT = { "aws:ResourceTag/Project": "payroll" };
/** What S3 sends KMS for an object of `bucket` (with the Bucket Key: the bucket's ARN). */
const viaS3 = (region: string, bucket: string) => ({
  ...PROJECT,
  "kms:ViaService": `s3.${region}.amazonaws.com`,
  "kms:EncryptionContext:aws:s3:arn": s3(bucket),
});

const keys = {
  primary: pinned.keyArnAt("site-storage/primary-key/key"),
  replica: pinned.keyArnAt("site-storage/replica-key/key"),
  state: pinned.keyArnAt("site-state/state-key/key"),
};
const policies = {
  trust: pinned.policy("aws_iam_role", "site-ci/publish-role", "assume_role_policy"),
  primaryKey: pinned.policy("aws_kms_key_policy", "site-storage/primary-key/policy"),
  replicaKey: pinned.policy("aws_kms_key_policy", "site-storage/replica-key/policy"),
  stateKey: pinned.policy("aws_kms_key_policy", "site-state/state-key/policy"),
  primaryBucket: pinned.policy("aws_s3_bucket_policy", "site-storage/primary-bucket/policy"),
  pinnedPermissions: pinned.policy("aws_iam_role_policy", "site-ci/publish-policy"),
  cdnPermissions: withCdn.policy("aws_iam_role_policy", "site-ci/publish-policy"),
};
const publish = { identity: [policies.pinnedPermissions] };
const publishWithCdn = { identity: [policies.cdnPermissions] };

/** A request of the publish role. */
const byPublish = (action: string, resource: string, context: Context = {}) =>
  request(PUBLISH_ROLE, action, resource, context);
const onPrimary = (action: string, key?: string): Row => ({
  about: `the publish role may ${action} on the primary bucket${key === undefined ? "" : "'s objects"}`,
  request: byPublish(action, s3(PRIMARY, key), TLS),
  policies: { ...publish, resource: policies.primaryBucket },
  expected: "Allowed",
});
const github = (sub: string) => ({
  "token.actions.githubusercontent.com:sub": sub,
  "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
});

const ALLOWED_ROWS: Row[] = [
  {
    about: "the production environment's job assumes the publish role",
    request: request(
      OIDC,
      "sts:AssumeRoleWithWebIdentity",
      PUBLISH_ROLE,
      github("repo:acme/site:environment:production"),
    ),
    policies: { resource: policies.trust },
    expected: "Allowed",
  },
  onPrimary("s3:ListBucket"),
  onPrimary("s3:ListBucketVersions"),
  onPrimary("s3:GetObject", "index.html"),
  onPrimary("s3:PutObject", "assets/app.3f9a1c2b.js"),
  onPrimary("s3:DeleteObject", "old.html"),
  onPrimary("s3:AbortMultipartUpload", "video/intro.mp4"),
  {
    about: "the publish role encrypts an object of the primary bucket with the primary key through S3",
    request: byPublish("kms:GenerateDataKey", keys.primary, viaS3("us-east-1", PRIMARY)),
    policies: { ...publish, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the publish role decrypts an object of the primary bucket with the primary key through S3",
    request: byPublish("kms:Decrypt", keys.primary, viaS3("us-east-1", PRIMARY)),
    policies: { ...publish, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the publish role invalidates the distribution the settings name",
    request: byPublish("cloudfront:CreateInvalidation", PINNED_DISTRIBUTION),
    policies: publish,
    expected: "Allowed",
  },
  {
    about: "the publish role follows an invalidation of the distribution the settings name",
    request: byPublish("cloudfront:GetInvalidation", PINNED_DISTRIBUTION),
    policies: publish,
    expected: "Allowed",
  },
  {
    about: "with the CDN stage, the publish role invalidates the project's distribution",
    request: byPublish("cloudfront:CreateInvalidation", CDN_DISTRIBUTION, PROJECT),
    policies: publishWithCdn,
    expected: "Allowed",
  },
  {
    about: "with the CDN stage, the publish role follows an invalidation of the project's distribution",
    request: byPublish("cloudfront:GetInvalidation", CDN_DISTRIBUTION, PROJECT),
    policies: publishWithCdn,
    expected: "Allowed",
  },
  {
    about: "with the CDN stage, the publish role lists the distributions to find the one in front of the bucket",
    // ListDistributions has no resource type: "*" is the only resource it takes.
    request: byPublish("cloudfront:ListDistributions", "*"),
    policies: publishWithCdn,
    expected: "Allowed",
  },
];

const DENIED_ROWS: Row[] = [
  {
    about: "a pull request may not assume the publish role",
    request: request(OIDC, "sts:AssumeRoleWithWebIdentity", PUBLISH_ROLE, github("repo:acme/site:pull_request")),
    policies: { resource: policies.trust },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not read the replica's objects",
    request: byPublish("s3:GetObject", s3(REPLICA, "index.html"), TLS),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not write the replica's objects",
    request: byPublish("s3:PutObject", s3(REPLICA, "index.html"), TLS),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not write another bucket's objects",
    request: byPublish("s3:PutObject", s3(PRIMARY_LOGS, "access/log.txt"), TLS),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not delete an object's earlier versions (the bucket keeps history)",
    request: byPublish("s3:DeleteObjectVersion", s3(PRIMARY, "old.html"), TLS),
    policies: { ...publish, resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not change the primary bucket's policy",
    request: byPublish("s3:PutBucketPolicy", s3(PRIMARY), TLS),
    policies: { ...publish, resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not delete the primary bucket's policy",
    request: byPublish("s3:DeleteBucketPolicy", s3(PRIMARY), TLS),
    policies: { ...publish, resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not read the state",
    request: byPublish("s3:GetObject", s3(STATE, "site-storage/terraform.tfstate"), TLS),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not use the primary key directly, outside S3",
    request: byPublish("kms:Decrypt", keys.primary, PROJECT),
    policies: { ...publish, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not use the primary key through S3 for another bucket's objects",
    request: byPublish("kms:GenerateDataKey", keys.primary, viaS3("us-east-1", PRIMARY_LOGS)),
    policies: { ...publish, resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not use the replica key, even through S3",
    request: byPublish("kms:Decrypt", keys.replica, viaS3("us-west-2", REPLICA)),
    policies: { ...publish, resource: policies.replicaKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not decrypt the state through S3, though its key carries the project's tag",
    request: byPublish("kms:Decrypt", keys.state, viaS3("us-east-1", STATE)),
    policies: { ...publish, resource: policies.stateKey },
    expected: "ExplicitlyDenied",
  },
  {
    about: "the publish role may not invalidate another distribution",
    request: byPublish("cloudfront:CreateInvalidation", OTHER_DISTRIBUTION),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role lists no distributions when the settings name one",
    request: byPublish("cloudfront:ListDistributions", "*"),
    policies: publish,
    expected: "ImplicitlyDenied",
  },
  {
    about: "with the CDN stage, the publish role may not invalidate another project's distribution",
    request: byPublish("cloudfront:CreateInvalidation", OTHER_DISTRIBUTION, OTHER_PROJECT),
    policies: publishWithCdn,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the publish role may not change the distribution",
    request: byPublish("cloudfront:UpdateDistribution", CDN_DISTRIBUTION, PROJECT),
    policies: publishWithCdn,
    expected: "ImplicitlyDenied",
  },
];

describeRows([
  ["the CI's publish role, what publish calls", ALLOWED_ROWS],
  ["the CI's publish role, what stays out of reach", DENIED_ROWS],
]);

describe("the table can fail: a publish statement without its condition lets the role past its scope", () => {
  itLetsInOnceWeakened(DENIED_ROWS, [
    ["the publish role may not use the primary key directly, outside S3", "UsePrimaryKeyThroughS3"],
    ["the publish role may not use the primary key through S3 for another bucket's objects", "UsePrimaryKeyThroughS3"],
    [
      "with the CDN stage, the publish role may not invalidate another project's distribution",
      "InvalidateProjectDistributions",
    ],
  ]);
});
