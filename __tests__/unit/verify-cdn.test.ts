// The CDN stage in the verifier: finding the distribution and its origin access control without a
// state, and comparing the distribution's configuration as CloudFront returns it.
import {
  CloudFrontClient,
  DistributionConfig,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
} from "@aws-sdk/client-cloudfront";
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from "@aws-sdk/client-acm";
import { mockClient } from "aws-sdk-client-mock";
import { AwsClients } from "../../src/ops/aws-clients";
import { compareAttributes } from "../../src/ops/verify/compare";
import { cdnResources } from "../../src/ops/deployment/live-cdn";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { distributionAttributes, onlyDeclared } from "../../src/ops/verify/readers/cloudfront-distribution";
import { StateIndex } from "../../src/ops/terraform/references";
import { synthSite } from "./helpers/site-fixture";

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
const ACCOUNT = "111122223333";
const BUCKET = `portfolio-site-primary-${ACCOUNT}`;
const DOMAIN = `${BUCKET}.s3.us-east-1.amazonaws.com`;

const declared = synthSite().json.resource as unknown as Record<string, Record<string, Record<string, unknown>>>;
const [[distributionName, distribution]] = Object.entries(declared.aws_cloudfront_distribution);
const bucketName = Object.keys(declared.aws_s3_bucket).find((name) => name.startsWith("primary-bucket"))!;
const index = new StateIndex([
  {
    address: `aws_s3_bucket.${bucketName}`,
    mode: "managed",
    type: "aws_s3_bucket",
    name: bucketName,
    values: { bucket: BUCKET, bucket_regional_domain_name: DOMAIN },
  },
]);

const cloudfront = mockClient(CloudFrontClient);
afterEach(() => cloudfront.reset());
afterAll(() => cloudfront.restore());

function listing(originDomain: string) {
  cloudfront.on(ListDistributionsCommand).resolves({
    DistributionList: {
      IsTruncated: false,
      Items: [
        {
          Id: "EOTHER",
          ARN: "arn:aws:cloudfront:111122223333:distribution/EOTHER",
          DomainName: "dother.cloudfront.net",
          Origins: { Quantity: 1, Items: [{ Id: "x", DomainName: "other.s3.us-east-1.amazonaws.com" }] },
        },
        {
          Id: "ESITE",
          // The emulator's malformed form: the verifier must not use it.
          ARN: "arn:aws:cloudfront:111122223333:distribution/ESITE",
          DomainName: "dsite.cloudfront.net",
          Origins: { Quantity: 1, Items: [{ Id: "site-bucket", DomainName: originDomain }] },
        },
      ],
    } as never,
  });
  cloudfront.on(ListOriginAccessControlsCommand).resolves({
    OriginAccessControlList: {
      IsTruncated: false,
      Items: [{ Id: "EOAC1", Name: "portfolio-site-site-bucket" } as never],
    } as never,
  });
}

describe("finding the CDN stage without a state", () => {
  it("finds the distribution by the primary bucket's regional domain and builds its ARN", async () => {
    listing(DOMAIN);
    const found = await cdnResources(declared, index, new AwsClients(ENV), "aws", ACCOUNT, []);
    const live = found.find((r) => r.address === `aws_cloudfront_distribution.${distributionName}`);
    expect(live?.values).toEqual({
      id: "ESITE",
      arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/ESITE`,
      domain_name: "dsite.cloudfront.net",
      hosted_zone_id: "Z2FDTNDATAQYW2",
    });
    expect(found.find((r) => r.type === "aws_cloudfront_origin_access_control")?.values.id).toBe("EOAC1");
  });

  it("reads each configuration when the summaries carry no origins, as the emulator's do", async () => {
    cloudfront.on(ListDistributionsCommand).resolves({
      DistributionList: { IsTruncated: false, Items: [{ Id: "EBARE", DomainName: "dbare.cloudfront.net" }] } as never,
    });
    cloudfront.on(ListOriginAccessControlsCommand).resolves({ OriginAccessControlList: { Items: [] } as never });
    cloudfront.on(GetDistributionConfigCommand, { Id: "EBARE" }).resolves({
      DistributionConfig: { Origins: { Quantity: 1, Items: [{ Id: "s", DomainName: DOMAIN }] } } as never,
    });
    const found = await cdnResources(declared, index, new AwsClients(ENV), "aws", ACCOUNT, EMULATOR_DIFFERENCES);
    expect(found.find((r) => r.type === "aws_cloudfront_distribution")?.values.id).toBe("EBARE");
    expect(found.find((r) => r.type === "aws_cloudfront_origin_access_control")?.values.id).toBe(
      "(missing: no origin access control named portfolio-site-site-bucket)",
    );
  });

  it("trusts a summary without origins on AWS, where every summary carries them", async () => {
    cloudfront.on(ListDistributionsCommand).resolves({
      DistributionList: { IsTruncated: false, Items: [{ Id: "EBARE", DomainName: "dbare.cloudfront.net" }] } as never,
    });
    cloudfront.on(ListOriginAccessControlsCommand).resolves({ OriginAccessControlList: { Items: [] } as never });
    const found = await cdnResources(declared, index, new AwsClients(ENV), "aws", ACCOUNT, []);
    expect(found.find((r) => r.type === "aws_cloudfront_distribution")?.values.id).toBe(
      `(missing: no distribution with an origin ${DOMAIN})`,
    );
    expect(cloudfront.commandCalls(GetDistributionConfigCommand)).toHaveLength(0);
  });

  it("marks the distribution missing, naming the origin, when none serves the bucket", async () => {
    listing("elsewhere.s3.us-east-1.amazonaws.com");
    const found = await cdnResources(declared, index, new AwsClients(ENV), "aws", ACCOUNT, []);
    const live = found.find((r) => r.type === "aws_cloudfront_distribution");
    expect(live?.values.id).toBe(`(missing: no distribution with an origin ${DOMAIN})`);
  });
});

describe("finding a custom domain's certificate without a state", () => {
  const withDomain = synthSite({
    cdn: { domainNames: ["example.com", "www.example.com"], hostedZoneId: "Z0123456789ABCDEFGHIJ" },
  }).json.resource as unknown as Record<string, Record<string, Record<string, unknown>>>;
  const acm = mockClient(ACMClient);
  afterEach(() => acm.reset());
  afterAll(() => acm.restore());
  const arn = (id: string) => `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/${id}`;

  function certificates(...live: { id: string; names: string[]; status: string }[]) {
    acm.on(ListCertificatesCommand).resolves({
      CertificateSummaryList: live.map((c) => ({ CertificateArn: arn(c.id), DomainName: c.names[0] })),
    });
    for (const c of live)
      acm.on(DescribeCertificateCommand, { CertificateArn: arn(c.id) }).resolves({
        Certificate: {
          CertificateArn: arn(c.id),
          DomainName: c.names[0],
          SubjectAlternativeNames: c.names,
          Status: c.status as never,
        },
      });
  }
  const validationOf = async () => {
    listing(DOMAIN);
    const found = await cdnResources(withDomain, index, new AwsClients(ENV), "aws", ACCOUNT, []);
    return found.find((r) => r.type === "aws_acm_certificate_validation")?.values.certificate_arn;
  };

  it("takes the issued certificate of exactly the declared names, for the validation the distribution names", async () => {
    certificates(
      { id: "other-names", names: ["example.com"], status: "ISSUED" },
      { id: "old-pending", names: ["example.com", "www.example.com"], status: "PENDING_VALIDATION" },
      { id: "issued", names: ["example.com", "www.example.com"], status: "ISSUED" },
    );
    expect(await validationOf()).toBe(arn("issued"));
  });

  it("marks the certificate missing, naming the names it looked for, when none covers them", async () => {
    certificates({ id: "other-names", names: ["example.com", "shop.example.com"], status: "ISSUED" });
    expect(await validationOf()).toBe("(missing: no certificate for example.com,www.example.com)");
  });
});

/** The declared distribution as CloudFront would return it, with what CloudFront fills in. */
function liveConfig(viewerProtocolPolicy: string): DistributionConfig {
  return {
    CallerReference: "r",
    Comment: "portfolio-site static site",
    Enabled: true,
    DefaultRootObject: "index.html",
    HttpVersion: "http2and3",
    IsIPV6Enabled: true,
    PriceClass: "PriceClass_100",
    Origins: { Quantity: 1, Items: [{ Id: "site-bucket", DomainName: DOMAIN, OriginAccessControlId: "EOAC1" }] },
    DefaultCacheBehavior: {
      TargetOriginId: "site-bucket",
      ViewerProtocolPolicy: viewerProtocolPolicy as never,
      AllowedMethods: { Quantity: 2, Items: ["GET", "HEAD"], CachedMethods: { Quantity: 2, Items: ["GET", "HEAD"] } },
      Compress: true,
      CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      ResponseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    },
    CustomErrorResponses: {
      Quantity: 2,
      Items: [
        { ErrorCode: 403, ResponseCode: "404", ResponsePagePath: "/404.html", ErrorCachingMinTTL: 10 },
        { ErrorCode: 404, ResponseCode: "404", ResponsePagePath: "/404.html", ErrorCachingMinTTL: 10 },
      ],
    },
    ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: "TLSv1" },
    Restrictions: { GeoRestriction: { RestrictionType: "none", Quantity: 0 } },
  };
}

describe("comparing the distribution", () => {
  // The arguments as the verifier resolves them: references filled in, no provider meta-argument.
  const resolvedDeclared = {
    ...Object.fromEntries(Object.entries(distribution).filter(([key]) => key !== "provider")),
    origin: [{ domain_name: DOMAIN, origin_access_control_id: "EOAC1", origin_id: "site-bucket" }],
  };
  const compare = (config: DistributionConfig) =>
    compareAttributes(
      resolvedDeclared,
      onlyDeclared(distributionAttributes(config), resolvedDeclared) as Record<string, unknown>,
    ).differences;

  it("finds no difference in the declared distribution, whatever defaults CloudFront fills in", () => {
    expect(compare(liveConfig("redirect-to-https"))).toEqual([]);
  });

  it("takes aliases and methods in another order as the same sets, and still reports one missing", () => {
    const withAliases = { ...resolvedDeclared, aliases: ["example.com", "www.example.com"] };
    const reordered = liveConfig("redirect-to-https");
    reordered.Aliases = { Quantity: 2, Items: ["www.example.com", "example.com"] };
    const behavior = reordered.DefaultCacheBehavior!;
    behavior.AllowedMethods = {
      Quantity: 2,
      Items: ["HEAD", "GET"],
      CachedMethods: { Quantity: 2, Items: ["HEAD", "GET"] },
    };
    const differences = (config: DistributionConfig) =>
      compareAttributes(
        withAliases,
        onlyDeclared(distributionAttributes(config, withAliases), withAliases) as Record<string, unknown>,
      ).differences;
    expect(differences(reordered)).toEqual([]);
    reordered.Aliases = { Quantity: 2, Items: ["www.example.com", "shop.example.com"] };
    expect(differences(reordered)).toEqual([
      {
        segments: ["aliases"],
        expected: "[example.com, www.example.com]",
        found: "[www.example.com, shop.example.com]",
      },
    ]);
  });

  it("reports viewers allowed plain HTTP at its path", () => {
    expect(compare(liveConfig("allow-all"))).toEqual([
      {
        segments: ["default_cache_behavior", "viewer_protocol_policy"],
        expected: "redirect-to-https",
        found: "allow-all",
      },
    ]);
  });
});
