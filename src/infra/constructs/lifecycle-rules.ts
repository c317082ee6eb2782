import { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { lockFileKey } from "../../config/names";

/** How the versions of a site bucket age. */
export interface VersionLifecycle {
  /** Days before a noncurrent version moves to `noncurrentStorageClass`. */
  readonly noncurrentTransitionDays: number;
  /** Archive class of noncurrent versions. */
  readonly noncurrentStorageClass: string;
  /** Days before a noncurrent version is deleted (greater than the transition days). */
  readonly noncurrentExpirationDays: number;
  /** Days before an unfinished multipart upload is aborted. */
  readonly abortIncompleteMultipartUploadDays: number;
}

// `filter {}` (an empty block) selects every object. `prefix = ""` looks equivalent but the
// provider reads it back as a different shape and reports an inconsistent plan.
const EVERY_OBJECT = [{}];

/** Unfinished multipart uploads hold storage silently (CKV_AWS_300, CKV2_AWS_61). */
function abortIncompleteUploadsRule(days: number): S3BucketLifecycleConfigurationRule {
  return {
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: EVERY_OBJECT,
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: days }],
  };
}

/**
 * A delete marker with no versions left behind it costs a LIST entry and nothing else: remove it.
 * S3 refuses `expired_object_delete_marker` together with `days` in one expiration, so it is a
 * rule of its own.
 */
function expiredDeleteMarkersRule(): S3BucketLifecycleConfigurationRule {
  return {
    id: "remove-expired-delete-markers",
    status: "Enabled",
    filter: EVERY_OBJECT,
    expiration: [{ expiredObjectDeleteMarker: true }],
  };
}

/**
 * The lifecycle of a site bucket (primary and replica): noncurrent versions are archived, then
 * deleted; unfinished uploads are aborted; orphaned delete markers are removed. Current
 * versions are never expired: they are the site.
 */
export function siteLifecycleRules(lc: VersionLifecycle): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "archive-then-expire-noncurrent-versions",
      status: "Enabled",
      filter: EVERY_OBJECT,
      noncurrentVersionTransition: [
        { noncurrentDays: lc.noncurrentTransitionDays, storageClass: lc.noncurrentStorageClass },
      ],
      noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentExpirationDays }],
    },
    abortIncompleteUploadsRule(lc.abortIncompleteMultipartUploadDays),
    expiredDeleteMarkersRule(),
  ];
}

/**
 * The lifecycle of a log bucket: logs expire after `retentionDays`, and the noncurrent version
 * an expiration leaves behind (log buckets are versioned) is deleted a day later, so logs do
 * leave; plus the two housekeeping rules.
 */
export function logLifecycleRules(retentionDays: number, abortDays: number): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-logs",
      status: "Enabled",
      filter: EVERY_OBJECT,
      expiration: [{ days: retentionDays }],
      noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
    },
    abortIncompleteUploadsRule(abortDays),
    expiredDeleteMarkersRule(),
  ];
}

/**
 * How long the state bucket keeps old states: every noncurrent version for `noncurrentDays`,
 * and always the `newerNoncurrentVersions` newest ones, so a rollback never waits for a restore
 * and a quiet project keeps its recent history however old it is. S3 allows at most 100.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
 */
export const STATE_HISTORY = { noncurrentDays: 90, newerNoncurrentVersions: 50 } as const;

/**
 * The lifecycle of the Terraform state bucket. Old states stay in STANDARD (no transition: an
 * archived state must be restored, hours, before a rollback can read it) and expire as
 * STATE_HISTORY says. Every run writes and deletes the lock file `<key>.tflock`, which leaves a
 * noncurrent version and a delete marker behind: the lock's versions expire after a day, then
 * its delete marker, orphaned, is removed. Unfinished uploads are aborted.
 */
export function stateLifecycleRules(stateObjectKey: string, abortDays: number): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "keep-recent-states",
      status: "Enabled",
      filter: EVERY_OBJECT,
      noncurrentVersionExpiration: [
        {
          noncurrentDays: STATE_HISTORY.noncurrentDays,
          newerNoncurrentVersions: STATE_HISTORY.newerNoncurrentVersions,
        },
      ],
    },
    {
      id: "expire-released-locks",
      status: "Enabled",
      filter: [{ prefix: lockFileKey(stateObjectKey) }],
      noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
    },
    abortIncompleteUploadsRule(abortDays),
    expiredDeleteMarkersRule(),
  ];
}
