/**
 * The readers of the small per-bucket configurations: versioning, default encryption, public
 * access block, ownership controls, policy and logging. Each answers in the shape of its
 * Terraform resource, and undefined when S3 says the configuration does not exist.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { unlessAbsent } from "../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_s3_bucket_versioning`: S3 returns no status for a bucket that never had versioning, which Terraform holds as Disabled. */
export const s3VersioningReader: ResourceReader = {
  type: "aws_s3_bucket_versioning",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await ctx.clients.s3(target.region).send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return {
      bucket,
      versioning_configuration: { status: live.Status ?? "Disabled", mfa_delete: live.MFADelete },
    };
  },
};

/** `aws_s3_bucket_server_side_encryption_configuration`. */
export const s3EncryptionReader: ResourceReader = {
  type: "aws_s3_bucket_server_side_encryption_configuration",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketEncryptionCommand({ Bucket: bucket })),
      ["ServerSideEncryptionConfigurationNotFoundError"],
    );
    if (live === undefined) return undefined;
    const rules = live.ServerSideEncryptionConfiguration?.Rules ?? [];
    return {
      bucket,
      rule: rules.map((rule) => ({
        apply_server_side_encryption_by_default: {
          sse_algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
          kms_master_key_id: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
        },
        bucket_key_enabled: rule.BucketKeyEnabled === true,
      })),
    };
  },
};

/** `aws_s3_bucket_public_access_block`: the four flags. */
export const s3PublicAccessBlockReader: ResourceReader = {
  type: "aws_s3_bucket_public_access_block",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      ["NoSuchPublicAccessBlockConfiguration"],
    );
    const flags = live?.PublicAccessBlockConfiguration;
    if (flags === undefined) return undefined;
    return {
      bucket,
      block_public_acls: flags.BlockPublicAcls === true,
      block_public_policy: flags.BlockPublicPolicy === true,
      ignore_public_acls: flags.IgnorePublicAcls === true,
      restrict_public_buckets: flags.RestrictPublicBuckets === true,
    };
  },
};

/** `aws_s3_bucket_ownership_controls`. */
export const s3OwnershipReader: ResourceReader = {
  type: "aws_s3_bucket_ownership_controls",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })),
      ["OwnershipControlsNotFoundError"],
    );
    if (live === undefined) return undefined;
    return {
      bucket,
      rule: (live.OwnershipControls?.Rules ?? []).map((r) => ({ object_ownership: r.ObjectOwnership })),
    };
  },
};

/** `aws_s3_bucket_policy`: the document as S3 returns it (compared by meaning). */
export const s3PolicyReader: ResourceReader = {
  type: "aws_s3_bucket_policy",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketPolicyCommand({ Bucket: bucket })),
      ["NoSuchBucketPolicy"],
    );
    return live?.Policy === undefined ? undefined : { bucket, policy: live.Policy };
  },
};

/** `aws_s3_bucket_logging`: S3 returns no `LoggingEnabled` when logging is off, which Terraform sees as the resource gone. */
export const s3LoggingReader: ResourceReader = {
  type: "aws_s3_bucket_logging",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await ctx.clients.s3(target.region).send(new GetBucketLoggingCommand({ Bucket: bucket }));
    const enabled = live.LoggingEnabled;
    if (enabled === undefined) return undefined;
    return { bucket, target_bucket: enabled.TargetBucket, target_prefix: enabled.TargetPrefix };
  },
};
