/**
 * Facts about AWS that the config is checked against. Kept as data in one place so a new region
 * or storage class is a one-line change, and so tests and error messages quote the same lists.
 */

/**
 * Regions in which S3 and KMS are offered, in every partition.
 * Source: https://docs.aws.amazon.com/general/latest/gr/rande.html (checked 2026-11).
 */
export const AWS_REGIONS: readonly string[] = [
  // aws
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  // aws-cn
  "cn-north-1",
  "cn-northwest-1",
  // aws-us-gov
  "us-gov-east-1",
  "us-gov-west-1",
];

/** The partition a region belongs to; both regions of one deployment must share it. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * Storage classes S3 accepts as a lifecycle transition target (STANDARD and REDUCED_REDUNDANCY
 * are not transition targets). Source: S3 API `NoncurrentVersionTransition.StorageClass`.
 */
export const TRANSITION_STORAGE_CLASSES = [
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;

/**
 * Transition classes with a minimum age: S3 rejects a transition to STANDARD_IA or ONEZONE_IA
 * earlier than 30 days.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 */
export const TRANSITION_MINIMUM_DAYS: Readonly<Record<string, number>> = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
};

/**
 * Storage classes a replication destination may use (S3 API `Destination.StorageClass`, without
 * OUTPOSTS, which needs an Outposts bucket, and the deprecated REDUCED_REDUNDANCY).
 */
export const REPLICATION_STORAGE_CLASSES = [
  "STANDARD",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;

/**
 * Upper bound this project puts on any lifecycle day count: 100 years. S3 stores day counts as
 * 32-bit integers; anything near that is a typo, not a retention policy.
 */
export const MAX_LIFECYCLE_DAYS = 36_500;

/** KMS `ScheduleKeyDeletion` PendingWindowInDays range. */
export const KMS_DELETION_WINDOW = { min: 7, max: 30 } as const;

/** An account id as STS returns it: used to check the length of names derived from it. */
export const ACCOUNT_ID_LENGTH = 12;
