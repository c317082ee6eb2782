/**
 * The bucket configurations that one S3 call each reads back, in the provider's shape. Each maps
 * S3's answer; "not found" errors mean the configuration does not exist.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { bucketConfigurationReader } from "./reader";

/** `aws_s3_bucket_policy`: the document as S3 returns it (compared by meaning). */
export const s3PolicyReader = bucketConfigurationReader(
  "aws_s3_bucket_policy",
  (s3, Bucket) => s3.send(new GetBucketPolicyCommand({ Bucket })),
  ["NoSuchBucketPolicy"],
  (live) => (live.Policy === undefined ? undefined : { policy: live.Policy }),
);

/** `aws_s3_bucket_versioning`: S3 returns no status for a bucket that never had versioning, which Terraform holds as Disabled. */
export const s3VersioningReader = bucketConfigurationReader(
  "aws_s3_bucket_versioning",
  (s3, Bucket) => s3.send(new GetBucketVersioningCommand({ Bucket })),
  [],
  (live) => ({ versioning_configuration: { status: live.Status ?? "Disabled", mfa_delete: live.MFADelete } }),
);

/** `aws_s3_bucket_logging`: S3 returns no `LoggingEnabled` when logging is off, which Terraform sees as the resource gone. */
export const s3LoggingReader = bucketConfigurationReader(
  "aws_s3_bucket_logging",
  (s3, Bucket) => s3.send(new GetBucketLoggingCommand({ Bucket })),
  [],
  ({ LoggingEnabled: on }) => on && { target_bucket: on.TargetBucket, target_prefix: on.TargetPrefix },
);

/** `aws_s3_bucket_ownership_controls`. */
export const s3OwnershipReader = bucketConfigurationReader(
  "aws_s3_bucket_ownership_controls",
  (s3, Bucket) => s3.send(new GetBucketOwnershipControlsCommand({ Bucket })),
  ["OwnershipControlsNotFoundError"],
  (live) => ({ rule: (live.OwnershipControls?.Rules ?? []).map((r) => ({ object_ownership: r.ObjectOwnership })) }),
);

/** `aws_s3_bucket_public_access_block`: the four flags. */
export const s3PublicAccessBlockReader = bucketConfigurationReader(
  "aws_s3_bucket_public_access_block",
  (s3, Bucket) => s3.send(new GetPublicAccessBlockCommand({ Bucket })),
  ["NoSuchPublicAccessBlockConfiguration"],
  ({ PublicAccessBlockConfiguration: flags }) =>
    flags && {
      block_public_acls: flags.BlockPublicAcls === true,
      block_public_policy: flags.BlockPublicPolicy === true,
      ignore_public_acls: flags.IgnorePublicAcls === true,
      restrict_public_buckets: flags.RestrictPublicBuckets === true,
    },
);

/** `aws_s3_bucket_server_side_encryption_configuration`. */
export const s3EncryptionReader = bucketConfigurationReader(
  "aws_s3_bucket_server_side_encryption_configuration",
  (s3, Bucket) => s3.send(new GetBucketEncryptionCommand({ Bucket })),
  ["ServerSideEncryptionConfigurationNotFoundError"],
  (live) => ({
    rule: (live.ServerSideEncryptionConfiguration?.Rules ?? []).map((rule) => ({
      apply_server_side_encryption_by_default: {
        sse_algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
        kms_master_key_id: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
      },
      bucket_key_enabled: rule.BucketKeyEnabled === true,
    })),
  }),
);
