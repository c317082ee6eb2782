import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
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
