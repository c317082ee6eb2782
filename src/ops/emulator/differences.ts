/**
 * THE list of known differences between the moto emulator and AWS, as data: each entry names one
 * resource type, one attribute path and the value moto reads back or how it acts. Callers pass
 * it in (the local run, `npm run verify` on the emulator) and pass nothing on AWS: the re-plan
 * check (`plan/replan.ts`) tolerates a change only under a listed path with the listed value;
 * the verifier marks a row tolerated only when the live value at the listed path is a listed
 * one; the probe skips what `enforcement` entries say the emulator cannot do; `npm run publish`
 * lifts the bucket policy, accepts a multipart checksum without its part count and reads each
 * distribution's origins only when its caller passed the entry that says so. The README quotes
 * the behaviours. Nothing else may excuse the emulator.
 *
 * The stack keeps declaring the real values and the unit tests on the synthesized JSON keep
 * requiring them: this list excuses the emulator, never the configuration.
 */

/** One known difference. */
export interface EmulatorDifference {
  /** Stable id, used by the verifier's checks and the reports. */
  readonly id: EmulatorDifferenceId;
  /**
   * `read-back`: the emulator stores or returns a setting differently, so it shows in what the
   * verifier reads and in a re-plan after apply; `enforcement`: the setting reads back as
   * declared but the emulator acts on it differently (no re-plan difference, never tolerated
   * by the re-plan check).
   */
  readonly kind: "read-back" | "enforcement";
  /** The resource type, e.g. `aws_s3_bucket_replication_configuration`. */
  readonly resourceType: string;
  /** Attribute path under which re-plan changes are tolerated; `"*"` matches any list index. */
  readonly path: readonly (string | number)[];
  /**
   * The value(s) moto reads back at `path`, in Terraform's shape (the plan's `before`; the
   * verifier's readers answer in the same shape): anything else is a real drift.
   */
  readonly readsBack: readonly unknown[];
  /** What moto does, for reports and the README. */
  readonly behaviour: string;
  /** What the runner and the verifier do about it. */
  readonly handling: string;
}

/** The ids of {@link EMULATOR_DIFFERENCES}. */
export type EmulatorDifferenceId =
  | "replication-delete-marker-status"
  | "replication-source-selection-criteria"
  | "lifecycle-newer-noncurrent-versions"
  | "replication-never-runs"
  | "bucket-policy-conditions-ignored"
  | "distribution-origin-oac-dropped"
  | "distribution-default-certificate-with-acm"
  | "distribution-function-associations-empty"
  | "distribution-forwarded-values-added"
  | "distribution-ssl-support-method-added"
  | "acm-validation-wait"
  | "route53-record-wait"
  | "route53-zone-id-format"
  | "distribution-serves-nothing"
  | "multipart-checksum-without-part-count"
  | "distribution-list-without-origins";

/** Known differences of moto 5.2 with AWS provider 5.100 (measured; recheck on upgrades). */
export const EMULATOR_DIFFERENCES: readonly EmulatorDifference[] = [
  {
    id: "replication-delete-marker-status",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    path: ["rule", "*", "delete_marker_replication"],
    readsBack: [[{ status: "Disabled" }]],
    behaviour: "moto reads DeleteMarkerReplication back as Disabled whatever was set",
    handling:
      "the verifier's row expects the declared status and passes on the emulator only when it reads back " +
      "exactly Disabled; the re-plan tolerates this attribute only with that value",
  },
  {
    id: "replication-source-selection-criteria",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    path: ["rule", "*", "source_selection_criteria"],
    readsBack: [[], null],
    behaviour: "moto does not return SourceSelectionCriteria (SSE-KMS objects selection)",
    handling:
      "the verifier's row expects the declared criteria and passes on the emulator only when none is " +
      "returned; the re-plan tolerates this attribute only when it reads back empty",
  },
  {
    id: "lifecycle-newer-noncurrent-versions",
    kind: "read-back",
    resourceType: "aws_s3_bucket_lifecycle_configuration",
    path: ["rule", "*", "noncurrent_version_expiration", "*", "newer_noncurrent_versions"],
    readsBack: [null, 0],
    behaviour:
      "moto drops NewerNoncurrentVersions from the lifecycle rules it returns, so the AWS provider, which " +
      "waits until it reads its rules back unchanged, times out creating the state bucket's lifecycle (3 minutes)",
    handling:
      "the remote-state end-to-end test applies site-state without that one resource (-target on every " +
      "other); the unit tests require the declared rule, and AWS applies it as declared",
  },
  {
    id: "replication-never-runs",
    kind: "enforcement",
    resourceType: "aws_s3_bucket_replication_configuration",
    path: ["rule"],
    readsBack: [],
    behaviour: "moto stores the replication configuration but never copies an object to the replica",
    handling:
      "the verifier checks the configuration and the probe's primary half (written, encrypted, read back, " +
      "removed), and names the replica half as not shown: only AWS shows an object replicated under the replica key",
  },
  {
    id: "bucket-policy-conditions-ignored",
    kind: "enforcement",
    resourceType: "aws_s3_bucket_policy",
    path: ["policy"],
    readsBack: [],
    behaviour:
      "moto enforces bucket-policy statements with principal * but ignores their conditions, " +
      "so the TLS-only deny refuses every object GET and PUT",
    handling:
      "on the emulator only, the verifier's probe lifts the primary bucket's policy and puts the identical " +
      "document back in a finally block, then checks it reads back equal; npm run publish lifts it the same way around " +
      "its object calls. A publish --dry-run writes nothing, so it lifts nothing: on the emulator it lists the bucket " +
      "but cannot read the objects' checksums or its manifest, and shows those files as uploads, saying so. The local run's teardown deletes the bucket " +
      "policies before it empties the buckets, as the destroy that follows would",
  },
  {
    id: "distribution-origin-oac-dropped",
    kind: "read-back",
    resourceType: "aws_cloudfront_distribution",
    path: ["origin", "*", "origin_access_control_id"],
    readsBack: ["", null],
    behaviour: "moto drops the origin access control id from the distribution's S3 origin when it reads it back",
    handling:
      "the verifier's row expects the declared OAC id and passes on the emulator only when none is returned; " +
      "the re-plan tolerates this attribute only when it reads back empty",
  },
  {
    id: "distribution-default-certificate-with-acm",
    kind: "read-back",
    resourceType: "aws_cloudfront_distribution",
    path: ["viewer_certificate", "*", "cloudfront_default_certificate"],
    readsBack: [true],
    behaviour: "moto reads cloudfront_default_certificate back true even when an ACM certificate is set",
    handling: "tolerated only when it reads back exactly true; the ACM certificate ARN is still compared",
  },
  {
    id: "distribution-function-associations-empty",
    kind: "read-back",
    resourceType: "aws_cloudfront_distribution",
    path: ["default_cache_behavior", "*", "function_association"],
    readsBack: [[], null],
    behaviour: "moto reads a cache behaviour's CloudFront Function associations back empty",
    handling: "tolerated only when they read back empty",
  },
  {
    id: "distribution-forwarded-values-added",
    kind: "read-back",
    resourceType: "aws_cloudfront_distribution",
    path: ["default_cache_behavior", "*", "forwarded_values"],
    readsBack: [
      [
        {
          cookies: [{ forward: "none", whitelisted_names: [] }],
          headers: [],
          query_string: false,
          query_string_cache_keys: [],
        },
      ],
    ],
    behaviour:
      "moto returns ForwardedValues {QueryString: false, Cookies: {Forward: none}} on a cache behaviour that " +
      "names a cache policy (measured with GetDistributionConfig)",
    handling: "the re-plan tolerates forwarded_values only with exactly that value; the verifier does not read it",
  },
  {
    id: "distribution-ssl-support-method-added",
    kind: "read-back",
    resourceType: "aws_cloudfront_distribution",
    path: ["viewer_certificate", "*", "ssl_support_method"],
    readsBack: ["sni-only"],
    behaviour: "moto returns SSLSupportMethod sni-only with the default CloudFront certificate (measured)",
    handling: "the re-plan tolerates it only with that value; the verifier compares only the declared members",
  },
  {
    id: "acm-validation-wait",
    kind: "enforcement",
    resourceType: "aws_acm_certificate_validation",
    path: ["certificate_arn"],
    readsBack: [],
    behaviour:
      "moto issues a requested certificate MOTO_ACM_VALIDATION_WAIT seconds after the request (60 by default, " +
      "read when the server starts), whatever the DNS holds; AWS issues it once it finds the validation records",
    handling:
      "the emulator start-up sets MOTO_ACM_VALIDATION_WAIT to 0, so aws_acm_certificate_validation completes at " +
      "once; the custom-domain end-to-end test still creates the validation records and checks them",
  },
  {
    id: "route53-record-wait",
    kind: "enforcement",
    resourceType: "aws_route53_record",
    path: ["name"],
    readsBack: [],
    behaviour:
      "the AWS provider takes about 15 s to create each Route 53 record on moto (measured, EMULATOR.md); the " +
      "validation and alias records are created in parallel",
    handling:
      "budgeted for in the custom-domain end-to-end test's timeout; nothing to tolerate: records read back as declared",
  },
  {
    id: "route53-zone-id-format",
    kind: "enforcement",
    resourceType: "aws_route53_record",
    path: ["zone_id"],
    readsBack: [],
    behaviour:
      "moto's hosted zone ids are 22 random capital letters and digits; AWS's start with Z, and the cdn.hostedZoneId " +
      "setting requires that",
    handling:
      "the custom-domain end-to-end test creates and deletes zones until moto hands out an id starting with Z; " +
      "the setting's rule stays AWS's",
  },
  {
    id: "distribution-serves-nothing",
    kind: "enforcement",
    resourceType: "aws_cloudfront_distribution",
    path: ["domain_name"],
    readsBack: [],
    behaviour:
      "moto stores distributions but serves nothing through them: the domain name it returns answers no request",
    handling:
      "the verifier's reachability probe (HTTPS from CloudFront with HSTS, HTTP redirected, the S3 URL refused unsigned) " +
      "runs on AWS only; on the emulator one tolerated row names it as not shown",
  },
  {
    id: "multipart-checksum-without-part-count",
    kind: "enforcement",
    resourceType: "aws_s3_object",
    path: ["checksum_sha256"],
    readsBack: [],
    behaviour:
      "moto returns a multipart object's composite ChecksumSHA256 without the -<parts> suffix AWS appends " +
      "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)",
    handling:
      "npm run publish compares the digests alone when the stored checksum has no part count; on AWS both sides must " +
      "carry the same count, and a stored checksum without one is a change (the file goes up again)",
  },
  {
    id: "distribution-list-without-origins",
    kind: "enforcement",
    resourceType: "aws_cloudfront_distribution",
    path: ["origin"],
    readsBack: [],
    behaviour: "moto's ListDistributions summaries carry no Origins (on AWS every DistributionSummary has them)",
    handling:
      "npm run publish, to find the distribution in front of the primary bucket, reads each distribution's " +
      "configuration (GetDistributionConfig) when its summary has no origins; on AWS the summary's origins decide",
  },
];
