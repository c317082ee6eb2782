/**
 * Every AWS call `npm run verify` makes, by SDK command, with the IAM action AWS checks for it
 * and what the action applies to. The one list: the verifier names the missing permission
 * from it when AWS says AccessDenied, the CI roles grant its reads, and the README lists them.
 * Sources: Amazon S3, "Required permissions for Amazon S3 API operations"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html);
 * AWS KMS, "AWS KMS permissions" (https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html);
 * IAM, "Actions, resources, and condition keys for AWS Identity and Access Management"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html);
 * CloudFront, "Actions, resources, and condition keys for Amazon CloudFront"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html);
 * ACM, "Actions, resources, and condition keys for AWS Certificate Manager"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html).
 */

/**
 * What an action is granted on: a site bucket, a site key, the replication role, the CDN stage's
 * distribution, an origin access control, its certificate (ACM, us-east-1), or `*` (an action
 * that takes no resource).
 */
export type VerifyCallScope =
  "bucket" | "object" | "key" | "role" | "distribution" | "origin-access-control" | "certificate" | "any";

/** One SDK command of the verifier. */
export interface VerifyCall {
  /** The IAM action(s) AWS checks; two when it depends on the request (a version id). */
  readonly actions: readonly string[];
  readonly scope: VerifyCallScope;
}

const call = (scope: VerifyCallScope, ...actions: string[]): VerifyCall => ({ actions, scope });

/**
 * The read-only calls (`npm run verify -- --no-probe`), by SDK command name. STS
 * `GetCallerIdentity` needs no permission: "No permissions are required to perform this
 * operation" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
export const VERIFY_READS: Readonly<Record<string, VerifyCall>> = {
  // HeadBucket: "you must have permissions to perform the s3:ListBucket action".
  HeadBucketCommand: call("bucket", "s3:ListBucket"),
  GetBucketLocationCommand: call("bucket", "s3:GetBucketLocation"),
  GetBucketEncryptionCommand: call("bucket", "s3:GetEncryptionConfiguration"),
  GetBucketVersioningCommand: call("bucket", "s3:GetBucketVersioning"),
  GetPublicAccessBlockCommand: call("bucket", "s3:GetBucketPublicAccessBlock"),
  GetBucketOwnershipControlsCommand: call("bucket", "s3:GetBucketOwnershipControls"),
  GetBucketPolicyCommand: call("bucket", "s3:GetBucketPolicy"),
  GetBucketLifecycleConfigurationCommand: call("bucket", "s3:GetLifecycleConfiguration"),
  GetBucketLoggingCommand: call("bucket", "s3:GetBucketLogging"),
  GetBucketReplicationCommand: call("bucket", "s3:GetReplicationConfiguration"),
  GetBucketTaggingCommand: call("bucket", "s3:GetBucketTagging"),
  GetBucketWebsiteCommand: call("bucket", "s3:GetBucketWebsite"),
  GetBucketCorsCommand: call("bucket", "s3:GetBucketCORS"),
  GetBucketAclCommand: call("bucket", "s3:GetBucketAcl"),
  // ListAliases takes no resource: "*" is the only one it can be granted on.
  ListAliasesCommand: call("any", "kms:ListAliases"),
  DescribeKeyCommand: call("key", "kms:DescribeKey"),
  GetKeyRotationStatusCommand: call("key", "kms:GetKeyRotationStatus"),
  GetKeyPolicyCommand: call("key", "kms:GetKeyPolicy"),
  ListGrantsCommand: call("key", "kms:ListGrants"),
  ListResourceTagsCommand: call("key", "kms:ListResourceTags"),
  GetRoleCommand: call("role", "iam:GetRole"),
  GetRolePolicyCommand: call("role", "iam:GetRolePolicy"),
  ListRolePoliciesCommand: call("role", "iam:ListRolePolicies"),
  ListAttachedRolePoliciesCommand: call("role", "iam:ListAttachedRolePolicies"),
  // The CDN stage. The List calls take no resource in the Service Authorization Reference:
  // "*" is the only one they can be granted on. The others take the ARN they name.
  ListDistributionsCommand: call("any", "cloudfront:ListDistributions"),
  GetDistributionCommand: call("distribution", "cloudfront:GetDistribution"),
  GetDistributionConfigCommand: call("distribution", "cloudfront:GetDistributionConfig"),
  ListTagsForResourceCommand: call("distribution", "cloudfront:ListTagsForResource"),
  ListOriginAccessControlsCommand: call("any", "cloudfront:ListOriginAccessControls"),
  GetOriginAccessControlCommand: call("origin-access-control", "cloudfront:GetOriginAccessControl"),
  ListCertificatesCommand: call("any", "acm:ListCertificates"),
  DescribeCertificateCommand: call("certificate", "acm:DescribeCertificate"),
};

/**
 * The replication probe's calls (not made with `--no-probe`). A HEAD or GET of a given version
 * is `s3:GetObjectVersion`, of the current one `s3:GetObject`; a delete of a version is
 * `s3:DeleteObjectVersion`. The bucket-policy calls are made on the emulator only.
 */
export const PROBE_CALLS: Readonly<Record<string, VerifyCall>> = {
  PutObjectCommand: call("object", "s3:PutObject"),
  HeadObjectCommand: call("object", "s3:GetObject", "s3:GetObjectVersion"),
  GetObjectCommand: call("object", "s3:GetObject", "s3:GetObjectVersion"),
  ListObjectVersionsCommand: call("bucket", "s3:ListBucketVersions"),
  // DeleteObjects checks s3:DeleteObject(Version) per key: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
  DeleteObjectsCommand: call("object", "s3:DeleteObject", "s3:DeleteObjectVersion"),
  DeleteBucketPolicyCommand: call("bucket", "s3:DeleteBucketPolicy"),
  PutBucketPolicyCommand: call("bucket", "s3:PutBucketPolicy"),
};

/**
 * The IAM actions of the read-only run on `scope`, sorted, each once; only those of `service`
 * (the prefix before the colon, such as "cloudfront") when given.
 */
export function verifyReadActions(scope?: VerifyCallScope, service?: string): string[] {
  const calls = Object.values(VERIFY_READS).filter((c) => scope === undefined || c.scope === scope);
  const actions = calls.flatMap((c) => c.actions).filter((a) => service === undefined || a.startsWith(`${service}:`));
  return [...new Set(actions)].sort();
}

/** The IAM action(s) AWS checks for an SDK command of the verifier, or undefined for another command. */
export function actionsOf(commandName: string): readonly string[] | undefined {
  return (VERIFY_READS[commandName] ?? PROBE_CALLS[commandName])?.actions;
}
