import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { NormalPolicy, includesEveryone, normalizeStatement, servicePrincipals } from "../../src/common/policy";
import { parsePolicy, statementOf } from "./helpers/policy-json";
import {
  BUCKET_CASES,
  BucketCase,
  SiteFixture,
  addressOf,
  blockOf,
  bucketArnOf,
  expectedBucketName,
  refOf,
  resourcesOfType,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

const DISTRIBUTION_ARN = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL";

function policyOf(site: SiteFixture, bucket: BucketCase): NormalPolicy {
  return parsePolicy(blockOf(site, bucket.bucket(site.stack).policy).policy);
}

function everyPolicy(site: SiteFixture): NormalPolicy[] {
  return Object.values(resourcesOfType(site, S3BucketPolicy.tfResourceType)).map((p) => parsePolicy(p.policy));
}

describe("bucket policies", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("are exactly one per bucket", () => {
    expect(Object.keys(resourcesOfType(site, S3BucketPolicy.tfResourceType))).toHaveLength(BUCKET_CASES.length);
  });

  describe.each(BUCKET_CASES)("on the $role bucket", (bucket) => {
    const resources = () => {
      const arn = bucketArnOf(site, expectedBucketName(site, bucket));
      return [arn, `${arn}/*`];
    };

    it("is declared through the bucket's provider on the bucket", () => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketPolicy, {
        provider: bucket.provider,
        bucket: refOf(site, bucket.bucket(site.stack).bucket, "id"),
      });
    });

    it("is applied only after the bucket's public access block (S3 answers 409 to both at once)", () => {
      const secure = bucket.bucket(site.stack);
      expect(blockOf(site, secure.policy).depends_on).toEqual([addressOf(site, secure.publicAccessBlock)]);
    });

    it("denies every request without TLS, on the bucket and its objects", () => {
      expect(statementOf(policyOf(site, bucket), "DenyInsecureTransport")).toEqual(
        normalizeStatement({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: resources(),
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    });

    it("denies every request over TLS older than 1.2, on the bucket and its objects", () => {
      expect(statementOf(policyOf(site, bucket), "DenyOutdatedTls")).toEqual(
        normalizeStatement({
          Sid: "DenyOutdatedTls",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: resources(),
          Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        }),
      );
    });
  });

  it("grant CloudFront nothing when the cdn is off and no distribution is configured", () => {
    for (const policy of nonEmpty(everyPolicy(synthSite({ cdn: { enabled: false } })), "bucket policy")) {
      expect(policy.Statement.flatMap(servicePrincipals)).not.toContain("cloudfront.amazonaws.com");
    }
  });
});

describe("bucket policies with a distribution configured", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({ cloudfrontDistributionArn: DISTRIBUTION_ARN, cdn: { enabled: false } });
  });

  it("let exactly that distribution read the primary bucket's objects (StringEquals, no wildcard)", () => {
    const primary = BUCKET_CASES[0];
    expect(statementOf(policyOf(site, primary), "AllowCloudFrontOriginAccessControlRead")).toEqual(
      normalizeStatement({
        Sid: "AllowCloudFrontOriginAccessControlRead",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${bucketArnOf(site, expectedBucketName(site, primary))}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } },
      }),
    );
  });

  it.each(BUCKET_CASES.slice(1))("grant CloudFront nothing on the $role bucket", (bucket) => {
    expect(policyOf(site, bucket).Statement.flatMap(servicePrincipals)).not.toContain("cloudfront.amazonaws.com");
  });
});

describe("every bucket policy", () => {
  it.each([
    { name: "without a distribution", input: {} },
    { name: "with a distribution", input: { cloudfrontDistributionArn: DISTRIBUTION_ARN, cdn: { enabled: false } } },
  ])("allows only service principals, each under conditions ($name)", ({ input }) => {
    const site = synthSite(input);
    const allows = everyPolicy(site)
      .flatMap((p) => p.Statement)
      .filter((s) => s.Effect === "Allow");
    for (const statement of nonEmpty(allows, "Allow statement")) {
      expect({
        sid: statement.Sid,
        everyone: includesEveryone(statement),
        services: servicePrincipals(statement).length > 0,
      }).toEqual({ sid: statement.Sid, everyone: false, services: true });
      expect(Object.keys(statement.Condition ?? {}).length).toBeGreaterThan(0);
    }
  });
});
