import { DistributionConfig, GetDistributionCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudfront";
import { isRecord } from "../../../common/json";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, liveId } from "./reader";

/**
 * `aws_cloudfront_distribution`: the arguments that decide what is served and how, in the
 * provider's shape (GetDistribution's configuration), and its tags: ListTagsForResource on the
 * ARN GetDistribution returns (the configuration does not carry tags), so a missing default tag
 * or an extra one is drift as on a bucket or a key. The ARN is the one CloudFront answers with,
 * not one built from the id: tags are kept under that ARN, and the emulator's malformed one
 * (EMULATOR.md) is the key its tags are stored under. Nothing else is read: cache behaviours
 * besides the default and logging are not declared by the stack, and a member a declared block
 * does not declare would read as drift (see `compare.ts`), so each block holds only the members below.
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetDistribution.html
 * https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListTagsForResource.html
 */
export const cloudfrontDistributionReader: ResourceReader = {
  type: "aws_cloudfront_distribution",
  unreadable: ["wait_for_deployment", "retain_on_delete"],
  taggable: true,
  async read(ctx, target) {
    const Id = liveId(ctx, target);
    if (Id === undefined) return undefined;
    const cloudfront = ctx.clients.cloudfront();
    const found = await unlessAbsent(() => cloudfront.send(new GetDistributionCommand({ Id })), ["NoSuchDistribution"]);
    const config = found?.Distribution?.DistributionConfig;
    if (config === undefined) return undefined;
    const tags = await cloudfront.send(new ListTagsForResourceCommand({ Resource: found?.Distribution?.ARN }));
    return {
      ...(onlyDeclared(distributionAttributes(config, target.declared), target.declared) as Record<string, unknown>),
      tags_all: Object.fromEntries((tags.Tags?.Items ?? []).map((tag) => [String(tag.Key), String(tag.Value ?? "")])),
    };
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

/**
 * `live` in the order of `declared`, then what it does not declare, sorted. The provider holds
 * aliases and a cache behaviour's methods as sets (CloudFront returns them in an order of its
 * own), so the same names in another order are no drift, and a missing or extra one still is.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/cloudfront/distribution.go
 */
export function inDeclaredOrder(live: readonly string[], declared: unknown): string[] {
  const order = Array.isArray(declared) ? declared.map(String) : [];
  const known = order.filter((name) => live.includes(name));
  return [...known, ...live.filter((name) => !order.includes(name)).sort()];
}

/**
 * The live configuration in the declared attributes' shape; the sets (aliases, methods) in the
 * order of `declared` when given (see {@link inDeclaredOrder}).
 */
export function distributionAttributes(
  config: DistributionConfig,
  declared: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const declaredBehavior = [declared.default_cache_behavior].flat()[0];
  const declaredMethods = (key: string) => (isRecord(declaredBehavior) ? declaredBehavior[key] : undefined);
  const behavior = config.DefaultCacheBehavior;
  const certificate = config.ViewerCertificate;
  const geo = config.Restrictions?.GeoRestriction;
  return {
    aliases: inDeclaredOrder(config.Aliases?.Items ?? [], declared.aliases),
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
      allowed_methods: inDeclaredOrder(behavior?.AllowedMethods?.Items ?? [], declaredMethods("allowed_methods")),
      cached_methods: inDeclaredOrder(
        behavior?.AllowedMethods?.CachedMethods?.Items ?? [],
        declaredMethods("cached_methods"),
      ),
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
