/**
 * Blocks of the synthesized JSON (references resolved) in the shapes the AWS APIs return them,
 * for the fake deployment's answers: what a clean deployment of the JSON would read back.
 */
import type { DistributionConfig } from "@aws-sdk/client-cloudfront";
import type { LifecycleRule, ReplicationConfiguration } from "@aws-sdk/client-s3";
import { Block } from "./site-fixture";

/** AWS's error for a missing thing, as the SDK throws it. */
export function awsError(name: string, status = 404): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** A nested block as a list: Terraform JSON writes one block as an object, several as a list. */
export const blocks = (value: unknown): Block[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as Block[]) : [value as Block];
/** The first of a nested block. */
export const one = (value: unknown): Block | undefined => blocks(value)[0];
const status = (block: unknown) => (one(block) === undefined ? undefined : { Status: one(block)?.status });

/** A lifecycle rule in the API's shape. */
export function lifecycleRule(rule: Block): LifecycleRule {
  const expiration = one(rule.expiration);
  const nve = one(rule.noncurrent_version_expiration);
  const abort = one(rule.abort_incomplete_multipart_upload);
  return {
    ID: rule.id,
    Status: rule.status,
    // S3 reads `filter {}` back as an empty prefix.
    Filter: { Prefix: one(rule.filter)?.prefix ?? "" },
    Expiration: expiration && {
      Days: expiration.days,
      ExpiredObjectDeleteMarker: expiration.expired_object_delete_marker,
    },
    NoncurrentVersionTransitions: blocks(rule.noncurrent_version_transition).map((t) => ({
      NoncurrentDays: t.noncurrent_days,
      StorageClass: t.storage_class,
    })),
    NoncurrentVersionExpiration: nve && { NoncurrentDays: nve.noncurrent_days },
    AbortIncompleteMultipartUpload: abort && { DaysAfterInitiation: abort.days_after_initiation },
  };
}

/** A replication configuration in the API's shape. */
export function replication(config: Block): ReplicationConfiguration {
  return {
    Role: config.role,
    Rules: blocks(config.rule).map((rule) => {
      const destination = one(rule.destination) as Block;
      return {
        ID: rule.id,
        Status: rule.status,
        Priority: 0,
        Filter: { Prefix: "" },
        DeleteMarkerReplication: status(rule.delete_marker_replication),
        SourceSelectionCriteria: {
          SseKmsEncryptedObjects: status(one(rule.source_selection_criteria)?.sse_kms_encrypted_objects),
        },
        Destination: {
          Bucket: destination.bucket,
          StorageClass: destination.storage_class,
          EncryptionConfiguration: { ReplicaKmsKeyID: one(destination.encryption_configuration)?.replica_kms_key_id },
        },
      };
    }),
  };
}

/** `{ Quantity, Items }`, CloudFront's list shape. */
const items = <T>(list: T[]) => ({ Quantity: list.length, Items: list });

/**
 * A distribution in GetDistributionConfig's shape, with what CloudFront fills in when the
 * stack leaves it out: a 10-second error caching TTL, and TLSv1 as the default certificate's
 * floor (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomErrorResponse.html,
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html).
 */
export function distributionConfig(d: Block): DistributionConfig {
  const behavior = one(d.default_cache_behavior) as Block;
  const certificate = one(d.viewer_certificate) ?? {};
  const geo = one(one(d.restrictions)?.geo_restriction) ?? { restriction_type: "none" };
  return {
    CallerReference: "terraform-1",
    Comment: d.comment,
    Enabled: d.enabled,
    Aliases: items<string>(d.aliases ?? []),
    DefaultRootObject: d.default_root_object,
    HttpVersion: d.http_version,
    IsIPV6Enabled: d.is_ipv6_enabled,
    PriceClass: d.price_class,
    Origins: items(
      blocks(d.origin).map((o) => ({
        Id: o.origin_id,
        DomainName: o.domain_name,
        OriginAccessControlId: o.origin_access_control_id,
      })),
    ),
    DefaultCacheBehavior: {
      TargetOriginId: behavior.target_origin_id,
      ViewerProtocolPolicy: behavior.viewer_protocol_policy,
      AllowedMethods: { ...items(behavior.allowed_methods), CachedMethods: items(behavior.cached_methods) },
      Compress: behavior.compress,
      CachePolicyId: behavior.cache_policy_id,
      ResponseHeadersPolicyId: behavior.response_headers_policy_id,
    },
    CustomErrorResponses: items(
      blocks(d.custom_error_response).map((e) => ({
        ErrorCode: e.error_code,
        ResponseCode: String(e.response_code),
        ResponsePagePath: e.response_page_path,
        ErrorCachingMinTTL: e.error_caching_min_ttl ?? 10,
      })),
    ),
    ViewerCertificate: {
      CloudFrontDefaultCertificate: certificate.cloudfront_default_certificate === true,
      ACMCertificateArn: certificate.acm_certificate_arn,
      SSLSupportMethod: certificate.ssl_support_method,
      MinimumProtocolVersion: certificate.minimum_protocol_version ?? "TLSv1",
    },
    Restrictions: { GeoRestriction: { RestrictionType: geo.restriction_type, ...items<string>(geo.locations ?? []) } },
  };
}
