import { GetBucketLoggingCommand } from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { callAws, foundOf } from "./aws-call";
import { checkRow } from "./check-row";

/** Shown when a bucket has no server access logging. */
const LOGGING_DISABLED = "(disabled)";

/** A logging target as one cell: `<bucket>/<prefix>`. */
function loggingTarget(bucket: string, prefix: string | undefined): string {
  return `${bucket}/${prefix ?? ""}`;
}

/**
 * Server access logging as declared (`aws_s3_bucket_logging`: target bucket and prefix, or none,
 * as for the log buckets, which never log to themselves) and as S3 returns it; and, when logging
 * is on, that the live target bucket is in the same region as the logged bucket, which S3
 * requires for delivery (GetBucketLocation of both).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
 */
export async function checkLogging(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const declared = ctx.declaration.oneForBucket("aws_s3_bucket_logging", bucket.name);
  const expected = declared
    ? loggingTarget(
        ctx.declaration.resolvedString(declared, "target_bucket") ?? "",
        ctx.declaration.resolvedString(declared, "target_prefix"),
      )
    : LOGGING_DISABLED;
  const live = await callAws(
    async () =>
      (await ctx.clients.s3(bucket.region).send(new GetBucketLoggingCommand({ Bucket: bucket.name }))).LoggingEnabled,
  );
  const rows = [
    checkRow(
      "access logging target",
      bucket.name,
      expected,
      foundOf(live, (enabled) =>
        enabled?.TargetBucket ? loggingTarget(enabled.TargetBucket, enabled.TargetPrefix) : LOGGING_DISABLED,
      ),
    ),
  ];
  if (declared !== undefined) {
    const source = await ctx.location(bucket.name, bucket.region);
    const targetName = live.ok ? live.value?.TargetBucket : undefined;
    const target = targetName ? await ctx.location(targetName, bucket.region) : undefined;
    // Resource: the target; expected: the logged bucket's region; found: the target's region.
    rows.push(
      checkRow(
        "access log target in the bucket's region",
        targetName ?? bucket.name,
        foundOf(source, (region) => region),
        target === undefined
          ? `(no live target: ${live.ok ? "logging disabled" : live.error})`
          : foundOf(target, (region) => region),
        source.ok && target !== undefined && target.ok && target.value === source.value,
      ),
    );
  }
  return rows;
}
