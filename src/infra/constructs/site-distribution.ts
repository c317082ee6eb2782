import { Construct } from "constructs";
import {
  CloudfrontDistribution,
  CloudfrontDistributionCustomErrorResponse,
  CloudfrontDistributionViewerCertificate,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CdnSettings } from "../../config/cdn-schema";
import {
  CACHING_OPTIMIZED_POLICY_ID,
  CUSTOM_DOMAIN_MINIMUM_TLS,
  SECURITY_HEADERS_POLICY_ID,
} from "../../config/cloudfront-facts";
import { OriginAccessControl } from "./origin-access-control";
import { SecureBucket } from "./secure-bucket";

/** The object every directory request and every `static` 404 serve. */
const ROOT_OBJECT = "index.html";
const NOT_FOUND_PAGE = "/404.html";

/** A custom domain of the distribution. */
export interface DistributionDomain {
  /** The names viewers use (CloudFront aliases). */
  readonly names: readonly string[];
  /** An ACM certificate in us-east-1 covering every name (a validated one, when the stack requests it). */
  readonly certificateArn: string;
}

/** Props of {@link SiteDistribution}. */
export interface SiteDistributionProps {
  /** Any provider of the account: CloudFront is global. */
  readonly provider: AwsProvider;
  /** The S3 bucket served (the primary): the origin is its regional domain name. */
  readonly origin: SecureBucket;
  /** Signs CloudFront's requests to the origin; the bucket policy must grant this distribution. */
  readonly originAccessControl: OriginAccessControl;
  /**
   * Which edge locations serve the site.
   * @default "PriceClass_100"
   */
  readonly priceClass?: CdnSettings["priceClass"];
  /**
   * How 403 and 404 from the origin are answered (see `CDN_ERROR_MODES`).
   * @default "static"
   */
  readonly errorResponses?: CdnSettings["errorResponses"];
  /**
   * Serve these names with this certificate, TLS 1.2 (2021 ciphers) at least, SNI only.
   * @default the distribution's own `*.cloudfront.net` name and certificate
   */
  readonly domain?: DistributionDomain;
  /** What the distribution is for (its comment in the console). */
  readonly comment: string;
}

/**
 * The error responses of each mode. S3 answers 403, not 404, for a missing key when the caller
 * may not `s3:ListBucket` (and the distribution is never granted it), so both codes are mapped.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/GeneratingCustomErrorResponses.html
 */
export function errorResponsesFor(mode: CdnSettings["errorResponses"]): CloudfrontDistributionCustomErrorResponse[] {
  const answer =
    mode === "single-page-app"
      ? { responseCode: 200, responsePagePath: `/${ROOT_OBJECT}` }
      : { responseCode: 404, responsePagePath: NOT_FOUND_PAGE };
  return [403, 404].map((errorCode) => ({ errorCode, ...answer }));
}

/** The viewer certificate: CloudFront's own without a domain; with one, the given certificate, SNI, TLS 1.2+. */
export function viewerCertificateFor(domain: DistributionDomain | undefined): CloudfrontDistributionViewerCertificate {
  if (domain === undefined) return { cloudfrontDefaultCertificate: true };
  return {
    acmCertificateArn: domain.certificateArn,
    sslSupportMethod: "sni-only",
    minimumProtocolVersion: CUSTOM_DOMAIN_MINIMUM_TLS,
  };
}

/**
 * The CloudFront distribution of the site, in front of one S3 bucket through origin access
 * control. Creates one `aws_cloudfront_distribution`:
 * - origin: the bucket's regional domain name (the REST endpoint, never the website endpoint,
 *   which cannot use OAC), signed by the given OAC;
 * - `index.html` as the root object; viewers redirected to HTTPS (the bucket denies requests
 *   without TLS, and CloudFront reaches S3 with the viewer's protocol); GET and HEAD only;
 *   compression, IPv6, HTTP/2 and HTTP/3;
 * - the AWS-managed CachingOptimized cache policy and SecurityHeadersPolicy response headers
 *   policy, by their fixed ids;
 * - the error responses of the chosen mode, the price class, and an optional custom domain.
 * It grants nothing: the bucket and key policies name this distribution's ARN.
 */
export class SiteDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    const originId = "site-bucket";
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      provider: props.provider,
      comment: props.comment,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.priceClass ?? "PriceClass_100",
      defaultRootObject: ROOT_OBJECT,
      aliases: props.domain === undefined ? undefined : [...props.domain.names],
      origin: [
        {
          originId,
          domainName: props.origin.bucket.bucketRegionalDomainName,
          originAccessControlId: props.originAccessControl.id,
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
      },
      customErrorResponse: errorResponsesFor(props.errorResponses ?? "static"),
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: viewerCertificateFor(props.domain),
    });
  }

  /** The distribution's id (E…), from which its ARN is built. */
  get id(): string {
    return this.distribution.id;
  }
}
