// The CDN constructs on their own: what each declares with its defaults, and what it refuses.
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DnsValidatedCertificate } from "../../src/infra/constructs/dns-validated-certificate";
import { OriginAccessControl } from "../../src/infra/constructs/origin-access-control";
import { RegionalKey } from "../../src/infra/constructs/regional-key";
import { SecureBucket } from "../../src/infra/constructs/secure-bucket";
import {
  SiteDistribution,
  errorResponsesFor,
  viewerCertificateFor,
} from "../../src/infra/constructs/site-distribution";
import { keyPolicyFor } from "../../src/infra/policies/key-policy";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A stack with one region's provider, and the synthesized resources `build` declares in it. */
function declare(build: (stack: TerraformStack, provider: AwsProvider) => void): Resources {
  const stack = new TerraformStack(Testing.app(), "test");
  const provider = new AwsProvider(stack, "aws", { region: "us-east-1", alias: "east" });
  build(stack, provider);
  return JSON.parse(Testing.synth(stack)).resource as Resources;
}

/** The one resource of `type`. */
function only(resources: Resources, type: string): Record<string, unknown> {
  const all = Object.values(resources[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** A distribution in front of a bucket, with the construct's defaults unless `extra` says otherwise. */
function distribution(extra: Partial<ConstructorParameters<typeof SiteDistribution>[2]> = {}): Record<string, unknown> {
  return only(
    declare((stack, provider) => {
      const key = new RegionalKey(stack, "key", {
        provider,
        aliasName: "alias/t",
        description: "t",
        policy: keyPolicyFor({ partition: "aws", accountId: "111122223333", allowCloudFront: false }),
      });
      const origin = new SecureBucket(stack, "bucket", {
        provider,
        bucketName: "t-primary-111122223333",
        partition: "aws",
        accountId: "111122223333",
        encryption: { kind: "kms", key },
        lifecycleRules: [],
      });
      const originAccessControl = new OriginAccessControl(stack, "oac", { provider, name: "t", description: "t" });
      new SiteDistribution(stack, "cdn", { provider, origin, originAccessControl, comment: "t", ...extra });
    }),
    "aws_cloudfront_distribution",
  );
}

describe("OriginAccessControl", () => {
  it("signs every request to an S3 origin with SigV4", () => {
    const control = only(
      declare((stack, provider) => new OriginAccessControl(stack, "oac", { provider, name: "n", description: "d" })),
      "aws_cloudfront_origin_access_control",
    );
    expect(control).toMatchObject({
      name: "n",
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
      provider: "aws.east",
    });
  });
});

describe("SiteDistribution with its defaults", () => {
  const declared = distribution();

  it("reaches the bucket's regional (REST) domain name through the origin access control", () => {
    expect(declared.origin).toEqual([
      {
        origin_id: "site-bucket",
        domain_name: expect.stringMatching(/^\$\{aws_s3_bucket.bucket_[0-9A-F]+\.bucket_regional_domain_name\}$/),
        origin_access_control_id: expect.stringMatching(/^\$\{aws_cloudfront_origin_access_control\.oac_control_/),
      },
    ]);
  });

  it("serves index.html at the root, redirects viewers to HTTPS, answers GET and HEAD only, compressed", () => {
    expect(declared.default_root_object).toBe("index.html");
    expect(declared.default_cache_behavior).toEqual({
      target_origin_id: "site-bucket",
      viewer_protocol_policy: "redirect-to-https",
      allowed_methods: ["GET", "HEAD"],
      cached_methods: ["GET", "HEAD"],
      compress: true,
      cache_policy_id: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      response_headers_policy_id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    });
  });

  it("is enabled, on IPv6, HTTP/2 and HTTP/3, at the cheapest price class, with CloudFront's certificate", () => {
    expect(declared).toMatchObject({
      enabled: true,
      is_ipv6_enabled: true,
      http_version: "http2and3",
      price_class: "PriceClass_100",
      viewer_certificate: { cloudfront_default_certificate: true },
      restrictions: { geo_restriction: { restriction_type: "none" } },
    });
    expect(declared).not.toHaveProperty("aliases");
  });

  it("maps S3's 403 (a missing key without s3:ListBucket) and 404 to /404.html with 404", () => {
    expect(declared.custom_error_response).toEqual([
      { error_code: 403, response_code: 404, response_page_path: "/404.html" },
      { error_code: 404, response_code: 404, response_page_path: "/404.html" },
    ]);
  });
});

describe("SiteDistribution, configured", () => {
  it("serves a custom domain with its certificate, SNI only, TLS 1.2 (2021) at least", () => {
    const arn = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
    const declared = distribution({ domain: { names: ["www.example.com"], certificateArn: arn } });
    expect(declared.aliases).toEqual(["www.example.com"]);
    expect(declared.viewer_certificate).toEqual({
      acm_certificate_arn: arn,
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
  });

  it("takes the price class it is given", () => {
    expect(distribution({ priceClass: "PriceClass_All" }).price_class).toBe("PriceClass_All");
  });

  it("answers 403 and 404 with /index.html and 200 for a single-page app", () => {
    expect(errorResponsesFor("single-page-app")).toEqual([
      { errorCode: 403, responseCode: 200, responsePagePath: "/index.html" },
      { errorCode: 404, responseCode: 200, responsePagePath: "/index.html" },
    ]);
  });

  it("uses CloudFront's own certificate only without a domain", () => {
    expect(viewerCertificateFor(undefined)).toEqual({ cloudfrontDefaultCertificate: true });
  });
});

describe("DnsValidatedCertificate", () => {
  const resources = declare((stack, provider) => {
    new DnsValidatedCertificate(stack, "cert", {
      provider,
      dnsProvider: provider,
      domainNames: ["example.com", "www.example.com"],
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
    });
  });

  it("requests one DNS-validated certificate for every name, the first as subject", () => {
    expect(only(resources, "aws_acm_certificate")).toMatchObject({
      domain_name: "example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      provider: "aws.east",
    });
  });

  it("writes each validation record ACM asks for into the given zone, one per name", () => {
    const record = only(resources, "aws_route53_record");
    expect(record).toMatchObject({
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      allow_overwrite: true,
    });
    // Over the set itself, never tolist() of it: a list of a partly unknown set is unknown at plan time.
    expect(record.for_each).toMatch(
      /^\$\{\{ for dvo in aws_acm_certificate\.cert_certificate_[0-9A-F]+\.domain_validation_options : dvo\.domain_name => dvo \}\}$/,
    );
  });

  it("waits for the validation records before the certificate is used", () => {
    expect(only(resources, "aws_acm_certificate_validation").validation_record_fqdns).toMatch(
      /for key, val in aws_route53_record\.cert_validation-record_[0-9A-F]+: val\.fqdn/,
    );
  });

  it("never creates a hosted zone", () => {
    expect(resources).not.toHaveProperty("aws_route53_zone");
  });

  it("refuses a provider outside us-east-1, naming the region and why", () => {
    expect(() =>
      declare((stack) => {
        const west = new AwsProvider(stack, "west", { region: "eu-west-1", alias: "west" });
        new DnsValidatedCertificate(stack, "cert", {
          provider: west,
          dnsProvider: west,
          domainNames: ["www.example.com"],
          hostedZoneId: "Z0123456789ABCDEFGHIJ",
        });
      }),
    ).toThrow(
      'test/cert: provider (got "eu-west-1"): must be a provider of us-east-1: CloudFront uses ACM certificates from that region only',
    );
  });
});
