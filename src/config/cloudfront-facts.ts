/**
 * Facts about CloudFront the CDN stage is declared with, as data in one place.
 */

/**
 * The AWS-managed cache policy CachingOptimized: no query strings or cookies in the cache key,
 * the normalized Accept-Encoding header only (gzip and Brotli cached apart), TTL 1 s to one year,
 * one day by default. AWS-managed policies have fixed ids, the same in every account, so the
 * distribution names it by id rather than by a data-source lookup (which the emulator cannot
 * answer either: it does not implement cache policies).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html#managed-cache-caching-optimized
 */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/**
 * The AWS-managed response headers policy SecurityHeadersPolicy: adds Strict-Transport-Security
 * (max-age one year), X-Content-Type-Options nosniff, X-Frame-Options SAMEORIGIN,
 * Referrer-Policy strict-origin-when-cross-origin and X-XSS-Protection to every response.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html#managed-response-headers-policies-security
 */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/**
 * The lowest TLS a viewer may use with a custom domain: TLS 1.2 with the 2021 cipher set, the
 * minimum CloudFront.7/.8 and CKV_AWS_174 accept.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html
 */
export const CUSTOM_DOMAIN_MINIMUM_TLS = "TLSv1.2_2021";
