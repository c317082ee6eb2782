import { GetBucketLifecycleConfigurationCommand, LifecycleRule } from "@aws-sdk/client-s3";
import { bucketConfigurationReader } from "./reader";
import { filterBlock } from "./s3-filter";

/** A date as Terraform holds it (RFC 3339), or undefined. */
function date(value: Date | undefined): string | undefined {
  return value === undefined ? undefined : value.toISOString().replace(".000Z", "Z");
}

/**
 * One rule as `aws_s3_bucket_lifecycle_configuration` holds it. `expired_object_delete_marker`
 * false is its absence (S3's default), as the provider reads it.
 */
function ruleBlock(rule: LifecycleRule): Record<string, unknown> {
  const expiration = rule.Expiration;
  return {
    id: rule.ID,
    status: rule.Status,
    filter: filterBlock(rule.Filter, rule.Prefix),
    expiration: expiration && {
      days: expiration.Days,
      date: date(expiration.Date),
      expired_object_delete_marker: expiration.ExpiredObjectDeleteMarker === true ? true : undefined,
    },
    transition: (rule.Transitions ?? []).map((t) => ({
      days: t.Days,
      date: date(t.Date),
      storage_class: t.StorageClass,
    })),
    noncurrent_version_transition: (rule.NoncurrentVersionTransitions ?? []).map((t) => ({
      noncurrent_days: t.NoncurrentDays,
      newer_noncurrent_versions: t.NewerNoncurrentVersions,
      storage_class: t.StorageClass,
    })),
    noncurrent_version_expiration: rule.NoncurrentVersionExpiration && {
      noncurrent_days: rule.NoncurrentVersionExpiration.NoncurrentDays,
      newer_noncurrent_versions: rule.NoncurrentVersionExpiration.NewerNoncurrentVersions,
    },
    abort_incomplete_multipart_upload: rule.AbortIncompleteMultipartUpload && {
      days_after_initiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation,
    },
  };
}

/** `aws_s3_bucket_lifecycle_configuration`: the rules, and the transition minimum object size. */
export const s3LifecycleReader = bucketConfigurationReader(
  "aws_s3_bucket_lifecycle_configuration",
  (s3, Bucket) => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
  ["NoSuchLifecycleConfiguration"],
  (live) => ({
    rule: (live.Rules ?? []).map(ruleBlock),
    transition_default_minimum_object_size: live.TransitionDefaultMinimumObjectSize,
  }),
);
