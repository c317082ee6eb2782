import { GetBucketLoggingCommand } from "@aws-sdk/client-s3";
import { ResourceReader, declaredString } from "./reader";

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
