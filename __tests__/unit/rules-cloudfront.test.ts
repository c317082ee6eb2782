// The CloudFront rules of the pack: each met by the stack as synthesized (CDN on, and with a
// custom domain), each tripped through a synthesized stack with one thing weakened, and the
// controls the stack leaves out suppressed with their reasons.
import { TerraformStack, Testing } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { parseSettings } from "../../src/config/load";
import { SettingsInput } from "../../src/config/schema";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { CDN_DIFFERENCES } from "../../src/infra/stacks/site-rule-suppressions";
import { PackRun, expectError, resultOf, runPack, site } from "./helpers/rule-pack";

const DISTRIBUTION = "site/cdn/distribution/distribution";
const PRIMARY_KEY_POLICY = "site/primary-key/policy";
const PRIMARY_BUCKET_POLICY = "site/primary-bucket/policy";
const CERTIFICATE = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
const ZONE = "Z0123456789ABCDEFGHIJ";
const OTHER_DISTRIBUTION = "arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE";

/** The site stack from these settings, weakened by `change`, with the pack run. */
function siteWith(input: SettingsInput, change: (stack: SiteStorageStack) => void = () => undefined): PackRun {
  const stack = new SiteStorageStack(Testing.app(), "site", parseSettings(input));
  change(stack);
  return runPack(stack);
}

/** The distribution of the site stack (the CDN is on). */
function distributionOf(stack: SiteStorageStack): CloudfrontDistribution {
  if (stack.cdn === undefined) throw new Error("the stack has no CDN stage");
  return stack.cdn.distribution.distribution;
}

/** The shipped default cache behavior, with some members replaced. */
function defaultBehavior(overrides: Record<string, unknown>) {
  return {
    targetOriginId: "site-bucket",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD"],
    cachedMethods: ["GET", "HEAD"],
    cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    ...overrides,
  };
}

/** A policy document as text. */
const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** A grant of s3:GetObject to CloudFront under a condition. */
const cloudFrontRead = (condition?: object) => ({
  Sid: "CloudFrontRead",
  Effect: "Allow",
  Principal: { Service: "cloudfront.amazonaws.com" },
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::site-primary/*",
  ...(condition === undefined ? {} : { Condition: condition }),
});

describe("CloudFront rules on the stack as synthesized", () => {
  it.each([
    ["with the CDN on (its defaults)", {}],
    [
      "with a custom domain and a given certificate",
      { cdn: { domainNames: ["www.example.com"], certificateArn: CERTIFICATE } },
    ],
    ["with a custom domain in a hosted zone", { cdn: { domainNames: ["www.example.com"], hostedZoneId: ZONE } }],
  ])("finds SITE-CF-001 to 006 met %s", (_case, input: SettingsInput) => {
    const { report, synthError } = siteWith(input);
    expect(synthError).toBeUndefined();
    for (const id of ["SITE-CF-001", "SITE-CF-002", "SITE-CF-004", "SITE-CF-005"]) {
      expect([id, resultOf(report, id, DISTRIBUTION).result]).toEqual([id, "compliant"]);
    }
    for (const path of [PRIMARY_KEY_POLICY, PRIMARY_BUCKET_POLICY]) {
      expect(resultOf(report, "SITE-CF-006", path)).toEqual({
        result: "compliant",
        detail: expect.stringMatching(/pinned to one distribution$/),
      });
    }
  });

  it("applies the TLS rule to a distribution's own certificate only", () => {
    expect(resultOf(site().report, "SITE-CF-003", DISTRIBUTION)).toEqual({
      result: "not-applicable",
      detail: "CloudFront's default certificate: its security policy is CloudFront's",
    });
    for (const cdn of [
      { domainNames: ["www.example.com"], certificateArn: CERTIFICATE },
      { domainNames: ["www.example.com"], hostedZoneId: ZONE },
    ]) {
      expect(resultOf(siteWith({ cdn }).report, "SITE-CF-003", DISTRIBUTION)).toEqual({
        result: "compliant",
        detail: 'minimum_protocol_version "TLSv1.2_2021", sni-only',
      });
    }
  });

  it("finds the replica's key and the log buckets' policies granting CloudFront nothing", () => {
    const { report } = site();
    for (const path of ["site/replica-key/policy", "site/replica-bucket/policy", "site/primary-log-bucket/policy"]) {
      expect([path, resultOf(report, "SITE-CF-006", path).result]).toEqual([path, "not-applicable"]);
    }
  });

  it("suppresses WAF, origin failover and legacy logging on the distribution, each with its reason", () => {
    const { report } = site();
    for (const { id, reason } of CDN_DIFFERENCES) {
      expect(report.evaluations.find((e) => e.ruleId === id && e.resourcePath === DISTRIBUTION)).toMatchObject({
        result: "suppressed",
        suppression: { path: "site/cdn/distribution", reason },
      });
    }
    expect(CDN_DIFFERENCES.find((s) => s.id === "SITE-CF-007")?.reason).toContain("web_acl_id");
    expect(CDN_DIFFERENCES.find((s) => s.id === "SITE-CF-009")?.reason).toContain("BucketOwnerEnforced");
  });

  it("pins the grant to a distribution named by ARN when the CDN is off", () => {
    const { report } = siteWith({ cdn: { enabled: false }, cloudfrontDistributionArn: OTHER_DISTRIBUTION });
    expect(resultOf(report, "SITE-CF-006", PRIMARY_KEY_POLICY).result).toBe("compliant");
  });

  it("suppresses, with its reason, the account-wide grant of a stack that names no distribution", () => {
    const { report, synthError } = siteWith({ cdn: { enabled: false } });
    expect(synthError).toBeUndefined();
    expect(
      report.evaluations.find((e) => e.ruleId === "SITE-CF-006" && e.resourcePath === PRIMARY_KEY_POLICY),
    ).toMatchObject({
      result: "suppressed",
      detail: expect.stringMatching(/tests aws:SourceArn with StringLike .*distribution\/\*/),
      suppression: { path: "site/primary-key", reason: expect.stringContaining("set cloudfrontDistributionArn") },
    });
  });
});

describe("CloudFront distribution rules tripped", () => {
  it("SITE-CF-001 flags a distribution without a default root object", () => {
    const run = site((s) => distributionOf(s).resetDefaultRootObject());
    expectError(run, "SITE-CF-001", DISTRIBUTION, /^default_root_object is not set$/);
  });

  it("SITE-CF-002 flags allow-all on the default and on an ordered cache behavior", () => {
    const run = site((s) => {
      const distribution = distributionOf(s);
      distribution.putDefaultCacheBehavior(defaultBehavior({ viewerProtocolPolicy: "allow-all" }));
      distribution.putOrderedCacheBehavior([
        { ...defaultBehavior({ viewerProtocolPolicy: "https-only" }), pathPattern: "/secure/*" },
        { ...defaultBehavior({ viewerProtocolPolicy: "allow-all" }), pathPattern: "/assets/*" },
      ]);
    });
    expectError(
      run,
      "SITE-CF-002",
      DISTRIBUTION,
      /^default_cache_behavior has viewer_protocol_policy "allow-all"; ordered_cache_behavior "\/assets\/\*" has viewer_protocol_policy "allow-all"$/,
    );
  });

  it("SITE-CF-003 flags TLSv1 and a dedicated IP with a custom certificate", () => {
    const run = siteWith({ cdn: { domainNames: ["www.example.com"], certificateArn: CERTIFICATE } }, (s) =>
      distributionOf(s).putViewerCertificate({
        acmCertificateArn: CERTIFICATE,
        minimumProtocolVersion: "TLSv1",
        sslSupportMethod: "vip",
      }),
    );
    expectError(run, "SITE-CF-003", DISTRIBUTION, /^minimum_protocol_version is "TLSv1"; ssl_support_method is "vip"$/);
  });

  it("SITE-CF-003 flags TLS 1.2 with the 2019 ciphers, which still include CBC", () => {
    const run = siteWith({ cdn: { domainNames: ["www.example.com"], certificateArn: CERTIFICATE } }, (s) =>
      distributionOf(s).putViewerCertificate({
        acmCertificateArn: CERTIFICATE,
        minimumProtocolVersion: "TLSv1.2_2019",
        sslSupportMethod: "sni-only",
      }),
    );
    expectError(run, "SITE-CF-003", DISTRIBUTION, /^minimum_protocol_version is "TLSv1.2_2019"$/);
  });

  it("SITE-CF-004 flags an S3 origin without origin access control", () => {
    const run = site((s) =>
      distributionOf(s).putOrigin([
        { originId: "site-bucket", domainName: s.primaryBucket.bucket.bucketRegionalDomainName },
      ]),
    );
    expectError(run, "SITE-CF-004", DISTRIBUTION, /^origin "site-bucket" has no origin_access_control_id$/);
  });

  it("SITE-CF-004 flags a legacy origin access identity", () => {
    const run = site((s) =>
      distributionOf(s).putOrigin([
        {
          originId: "site-bucket",
          domainName: s.primaryBucket.bucket.bucketRegionalDomainName,
          s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1EXAMPLE" },
        },
      ]),
    );
    expectError(
      run,
      "SITE-CF-004",
      DISTRIBUTION,
      /^origin "site-bucket" uses the legacy origin access identity origin-access-identity\/cloudfront\/E1EXAMPLE$/,
    );
  });

  it("SITE-CF-004 flags a custom origin to the S3 website endpoint", () => {
    const run = site((s) =>
      distributionOf(s).putOrigin([
        {
          originId: "site-website",
          domainName: "site-primary.s3-website-us-east-1.amazonaws.com",
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "http-only",
            originSslProtocols: ["TLSv1.2"],
          },
        },
      ]),
    );
    expectError(
      run,
      "SITE-CF-004",
      DISTRIBUTION,
      /^origin "site-website" is the S3 website endpoint site-primary\.s3-website-us-east-1\.amazonaws\.com, which serves only public objects and cannot use origin access control$/,
    );
  });

  it("SITE-CF-005 flags a default cache behavior without a response headers policy", () => {
    const run = site((s) =>
      distributionOf(s).putDefaultCacheBehavior(defaultBehavior({ responseHeadersPolicyId: undefined })),
    );
    expectError(run, "SITE-CF-005", DISTRIBUTION, /^default_cache_behavior has no response_headers_policy_id$/);
  });
});

describe("SITE-CF-006: grants to CloudFront pinned to one distribution", () => {
  it.each([
    [
      "StringLike on distribution/*",
      { StringLike: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/*" } },
      /^statement "CloudFrontRead" tests aws:SourceArn with StringLike \["arn:aws:cloudfront::111122223333:distribution\/\*"\]$/,
    ],
    [
      "StringEquals on distribution/* (a literal asterisk, but no distribution)",
      { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/*" } },
      /^statement "CloudFrontRead" "arn:aws:cloudfront::111122223333:distribution\/\*" has a wildcard$/,
    ],
    [
      "ArnLike on one distribution",
      { ArnLike: { "AWS:SourceArn": OTHER_DISTRIBUTION } },
      /^statement "CloudFrontRead" tests aws:SourceArn with ArnLike/,
    ],
    [
      "two distributions",
      { StringEquals: { "AWS:SourceArn": [OTHER_DISTRIBUTION, `${OTHER_DISTRIBUTION}2`] } },
      /^statement "CloudFrontRead" allows 2 aws:SourceArn values, not one$/,
    ],
    [
      "only the account",
      { StringEquals: { "AWS:SourceAccount": "111122223333" } },
      /^statement "CloudFrontRead" grants cloudfront.amazonaws.com without an aws:SourceArn condition$/,
    ],
    [
      "no condition at all",
      undefined,
      /^statement "CloudFrontRead" grants cloudfront.amazonaws.com without an aws:SourceArn condition$/,
    ],
    [
      "an ARN of another service",
      { StringEquals: { "AWS:SourceArn": "arn:aws:s3:::site-primary" } },
      /^statement "CloudFrontRead" "arn:aws:s3:::site-primary" is not a distribution ARN$/,
    ],
  ])("flags a bucket policy with %s", (_case, condition, detail) => {
    const run = site((s) => {
      s.primaryBucket.policy.policy = policy(cloudFrontRead(condition));
    });
    expectError(run, "SITE-CF-006", PRIMARY_BUCKET_POLICY, detail);
  });

  it("flags the key policy too, and accepts a literal distribution ARN", () => {
    const run = site((s) => {
      s.primaryKey.policy.policy = policy(
        { ...cloudFrontRead({ StringEquals: { "AWS:SourceArn": OTHER_DISTRIBUTION } }), Sid: "Pinned" },
        cloudFrontRead({ StringLike: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E*" } }),
      );
    });
    expectError(
      run,
      "SITE-CF-006",
      PRIMARY_KEY_POLICY,
      /^statement "CloudFrontRead" tests aws:SourceArn with StringLike \["arn:aws:cloudfront::111122223333:distribution\/E\*"\]$/,
    );
  });

  it("accepts a reference to a declared distribution's arn", () => {
    const run = site((s) => {
      s.primaryBucket.policy.policy = policy(
        cloudFrontRead({ StringEquals: { "AWS:SourceArn": distributionOf(s).arn } }),
      );
    });
    expect(resultOf(run.report, "SITE-CF-006", PRIMARY_BUCKET_POLICY).result).toBe("compliant");
  });

  it("cannot show a policy pinned when the policy model cannot read it", () => {
    const run = site((s) => {
      s.primaryBucket.policy.policy = policy({ ...cloudFrontRead(), Condition: "AWS:SourceArn" });
    });
    expectError(run, "SITE-CF-006", PRIMARY_BUCKET_POLICY, /^cannot verify: Condition must be an object/);
  });
});

describe("the CloudFront controls the stack leaves out", () => {
  /** A stack with one bare distribution, for settings the site stack does not use. */
  function bare(configure: (distribution: CloudfrontDistribution) => void = () => undefined): PackRun {
    const stack = new TerraformStack(Testing.app(), "small");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const distribution = new CloudfrontDistribution(stack, "cdn", {
      enabled: true,
      defaultRootObject: "index.html",
      origin: [{ originId: "web", domainName: "origin.example.com" }],
      defaultCacheBehavior: defaultBehavior({ targetOriginId: "web" }),
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    });
    configure(distribution);
    return runPack(stack);
  }

  it("warns, without failing synth, when WAF, origin failover and legacy logging are all absent", () => {
    const run = bare();
    expect(run.synthError).toBeUndefined();
    expect(run.report.warnings.map((w) => [w.ruleId, w.detail])).toEqual([
      ["SITE-CF-007", "no web_acl_id: no AWS WAF web ACL is attached"],
      ["SITE-CF-008", "no origin_group: a failing origin is not retried elsewhere"],
      ["SITE-CF-009", "no logging_config: no standard logs (legacy)"],
    ]);
    expect(resultOf(run.report, "SITE-CF-004", "small/cdn")).toEqual({
      result: "not-applicable",
      detail: "no S3 origin",
    });
  });

  it("finds each met once the distribution has it", () => {
    const run = bare((d) => {
      d.webAclId = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/site/0a1b2c3d";
      d.putOriginGroup([
        {
          originId: "web-group",
          failoverCriteria: { statusCodes: [500, 502, 503, 504] },
          member: [{ originId: "web" }, { originId: "web-2" }],
        },
      ]);
      d.putLoggingConfig({ bucket: "logs-with-acls.s3.amazonaws.com" });
    });
    expect(run.report.warnings).toEqual([]);
    for (const id of ["SITE-CF-007", "SITE-CF-008", "SITE-CF-009"])
      expect([id, resultOf(run.report, id, "small/cdn").result]).toEqual([id, "compliant"]);
  });
});
