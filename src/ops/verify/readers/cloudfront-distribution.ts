import { DistributionConfig, GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { isRecord } from "../../../common/json";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, liveId } from "./reader";

/**
 * `aws_cloudfront_distribution`: the arguments that decide what is served and how, in the
 * provider's shape (GetDistributionConfig). Nothing else is read: cache behaviours besides the
 * default, logging and tags are not declared by the stack, and a member a declared block does not
 * declare would read as drift (see `compare.ts`), so each block holds only the members below.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html
 */
export const cloudfrontDistributionReader: ResourceReader = {
  type: "aws_cloudfront_distribution",
  unreadable: ["wait_for_deployment", "retain_on_delete"],
  async read(ctx, target) {
    const Id = liveId(ctx, target);
    if (Id === undefined) return undefined;
    const found = await unlessAbsent(
      () => ctx.clients.cloudfront().send(new GetDistributionConfigCommand({ Id })),
      ["NoSuchDistribution"],
    );
    if (found?.DistributionConfig === undefined) return undefined;
    return onlyDeclared(distributionAttributes(found.DistributionConfig), target.declared) as Record<string, unknown>;
  },
};

/**
 * The live blocks cut down to the members the declared blocks name: CloudFront fills in defaults
 * the stack leaves to it (the TLS floor of the default certificate, the 10-second error caching
 * TTL), which are not drift. Top-level attributes are cut by the comparison itself.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomErrorResponse.html
 */
export function onlyDeclared(live: unknown, declared: unknown, top = true): unknown {
  const declaredBlocks = Array.isArray(declared) ? declared.filter(isRecord) : isRecord(declared) ? [declared] : [];
  if (declaredBlocks.length === 0) return live;
  if (Array.isArray(live)) return live.map((element) => onlyDeclared(element, declared, top));
  if (!isRecord(live)) return live;
  const names = new Set(declaredBlocks.flatMap((block) => Object.keys(block)));
  return Object.fromEntries(
    Object.entries(live)
      .filter(([key]) => top || names.has(key))
      .map(([key, value]) => [
        key,
        onlyDeclared(value, declaredBlocks.map((b) => b[key]).filter((v) => v !== undefined)[0], false),
      ]),
  );
}

/** The live configuration in the declared attributes' shape. */
export function distributionAttributes(config: DistributionConfig): Record<string, unknown> {
  const behavior = config.DefaultCacheBehavior;
  const certificate = config.ViewerCertificate;
  const geo = config.Restrictions?.GeoRestriction;
  return {
    aliases: config.Aliases?.Items ?? [],
    comment: config.Comment ?? "",
    default_root_object: config.DefaultRootObject ?? "",
    enabled: config.Enabled,
    http_version: config.HttpVersion,
    is_ipv6_enabled: config.IsIPV6Enabled,
    price_class: config.PriceClass,
    origin: (config.Origins?.Items ?? []).map((o) => ({
      domain_name: o.DomainName,
      origin_id: o.Id,
      origin_access_control_id: o.OriginAccessControlId ?? "",
    })),
    default_cache_behavior: {
      allowed_methods: behavior?.AllowedMethods?.Items ?? [],
      cached_methods: behavior?.AllowedMethods?.CachedMethods?.Items ?? [],
      cache_policy_id: behavior?.CachePolicyId ?? "",
      compress: behavior?.Compress,
      response_headers_policy_id: behavior?.ResponseHeadersPolicyId ?? "",
      target_origin_id: behavior?.TargetOriginId,
      viewer_protocol_policy: behavior?.ViewerProtocolPolicy,
    },
    custom_error_response: (config.CustomErrorResponses?.Items ?? []).map((e) => ({
      error_code: e.ErrorCode,
      response_code: e.ResponseCode === undefined || e.ResponseCode === "" ? undefined : Number(e.ResponseCode),
      response_page_path: e.ResponsePagePath ?? "",
      error_caching_min_ttl: e.ErrorCachingMinTTL,
    })),
    viewer_certificate: {
      acm_certificate_arn: certificate?.ACMCertificateArn ?? "",
      cloudfront_default_certificate: certificate?.CloudFrontDefaultCertificate === true,
      minimum_protocol_version: certificate?.MinimumProtocolVersion,
      ssl_support_method: certificate?.SSLSupportMethod ?? "",
    },
    restrictions: {
      geo_restriction: { restriction_type: geo?.RestrictionType, locations: geo?.Items ?? [] },
    },
  };
}
