// The CDN stage as site-storage declares it: with the defaults, turned off, with a custom domain
// and a certificate, with a custom domain and a hosted zone; the grants pinned to the
// distribution; and the dependency graph Terraform will walk.
import { Testing } from "cdktf";
import { parseSettings } from "../../src/config/load";
import { SettingsInput } from "../../src/config/schema";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { SITE_RULES } from "../../src/rules/catalog";
import { RulePack } from "../../src/rules/pack";
import { normalizeStatement, servicePrincipals } from "../../src/common/policy";
import { parsePolicy, statementOf } from "./helpers/policy-json";
import {
  SiteFixture,
  accountFacts,
  allResources,
  blockOf,
  refOf,
  resourcesOfType,
  synthSite,
} from "./helpers/site-fixture";

const CERTIFICATE = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
const ZONE = "Z0123456789ABCDEFGHIJ";
const CDN_TYPES = [
  "aws_cloudfront_distribution",
  "aws_cloudfront_origin_access_control",
  "aws_acm_certificate",
  "aws_acm_certificate_validation",
  "aws_route53_record",
];

/** The distribution's ARN as the policies must name it: partition and account read from AWS, its id. */
function pinnedArn(site: SiteFixture): string {
  const { partition, account } = accountFacts(site);
  const cdn = site.stack.cdn;
  if (cdn === undefined) throw new Error("the stack declares no cdn");
  return `arn:${partition}:cloudfront::${account}:distribution/${refOf(site, cdn.distribution.distribution, "id")}`;
}

describe("site-storage with the default settings", () => {
  const site = synthSite();

  it("declares one distribution and one origin access control, and no certificate or record", () => {
    expect(Object.keys(resourcesOfType(site, "aws_cloudfront_distribution"))).toHaveLength(1);
    expect(Object.keys(resourcesOfType(site, "aws_cloudfront_origin_access_control"))).toHaveLength(1);
    for (const type of ["aws_acm_certificate", "aws_acm_certificate_validation", "aws_route53_record"]) {
      expect(resourcesOfType(site, type)).toEqual({});
    }
  });

  it("serves the primary bucket, not the replica", () => {
    const [origin] = blockOf(site, site.stack.cdn!.distribution.distribution).origin;
    expect(origin.domain_name).toBe(refOf(site, site.stack.primaryBucket.bucket, "bucket_regional_domain_name"));
  });

  it("lets CloudFront decrypt with the primary key for exactly this distribution", () => {
    expect(
      statementOf(parsePolicy(blockOf(site, site.stack.primaryKey.policy).policy), "AllowCloudFrontToDecrypt"),
    ).toEqual(
      normalizeStatement({
        Sid: "AllowCloudFrontToDecrypt",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "AWS:SourceArn": pinnedArn(site) } },
      }),
    );
  });

  it("lets CloudFront read the primary bucket's objects for exactly this distribution, and never list it", () => {
    const policy = parsePolicy(blockOf(site, site.stack.primaryBucket.policy).policy);
    const { partition, account } = accountFacts(site);
    expect(statementOf(policy, "AllowCloudFrontOriginAccessControlRead")).toEqual(
      normalizeStatement({
        Sid: "AllowCloudFrontOriginAccessControlRead",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `arn:${partition}:s3:::portfolio-site-primary-${account}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": pinnedArn(site) } },
      }),
    );
    const cloudFront = policy.Statement.filter((s) => servicePrincipals(s).includes("cloudfront.amazonaws.com"));
    expect(cloudFront.flatMap((s) => [s.Action].flat())).toEqual(["s3:GetObject"]);
  });

  it("grants CloudFront nothing on the replica, its key or the log buckets", () => {
    for (const policy of [
      blockOf(site, site.stack.replicaKey.policy).policy,
      blockOf(site, site.stack.replicaBucket.policy).policy,
      blockOf(site, site.stack.primaryLogBucket.policy).policy,
      blockOf(site, site.stack.replicaLogBucket.policy).policy,
    ]) {
      expect(parsePolicy(policy).Statement.flatMap(servicePrincipals)).not.toContain("cloudfront.amazonaws.com");
    }
  });

  it("outputs the distribution's id, its ARN as the policies name it, and its domain name", () => {
    const distribution = site.stack.cdn!.distribution.distribution;
    expect(site.json.output.cdn_distribution_id.value).toBe(refOf(site, distribution, "id"));
    expect(site.json.output.cdn_distribution_arn.value).toBe(pinnedArn(site));
    expect(site.json.output.cdn_domain_name.value).toBe(refOf(site, distribution, "domain_name"));
    expect(site.json.output).not.toHaveProperty("cdn_custom_domain_names");
  });
});

describe("site-storage with the cdn turned off", () => {
  it("declares none of the CDN's resources: today's storage-only stack", () => {
    const site = synthSite({ cdn: { enabled: false } });
    for (const type of CDN_TYPES) expect(resourcesOfType(site, type)).toEqual({});
    expect(site.stack.cdn).toBeUndefined();
    expect(Object.keys(site.json.output).filter((name) => name.startsWith("cdn_"))).toEqual([]);
  });

  it("pins the grants to your own distribution when you name it", () => {
    const arn = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL";
    const site = synthSite({ cdn: { enabled: false }, cloudfrontDistributionArn: arn });
    const condition = { StringEquals: { "AWS:SourceArn": [arn] } };
    expect(
      statementOf(parsePolicy(blockOf(site, site.stack.primaryKey.policy).policy), "AllowCloudFrontToDecrypt"),
    ).toMatchObject({ Condition: condition });
    expect(
      statementOf(
        parsePolicy(blockOf(site, site.stack.primaryBucket.policy).policy),
        "AllowCloudFrontOriginAccessControlRead",
      ),
    ).toMatchObject({ Condition: condition });
  });
});

describe("site-storage with a custom domain and an existing certificate", () => {
  const site = synthSite({ cdn: { domainNames: ["www.example.com"], certificateArn: CERTIFICATE } });

  it("serves the names with that certificate and creates no certificate or record", () => {
    expect(blockOf(site, site.stack.cdn!.distribution.distribution)).toMatchObject({
      aliases: ["www.example.com"],
      viewer_certificate: { acm_certificate_arn: CERTIFICATE, ssl_support_method: "sni-only" },
    });
    expect(resourcesOfType(site, "aws_acm_certificate")).toEqual({});
    expect(resourcesOfType(site, "aws_route53_record")).toEqual({});
    expect(site.json.output.cdn_custom_domain_names.value).toBe("www.example.com");
  });
});

describe("site-storage with a custom domain and a hosted zone", () => {
  const site = synthSite({
    primaryRegion: "eu-west-1",
    replicaRegion: "eu-central-1",
    cdn: { domainNames: ["example.com", "www.example.com"], hostedZoneId: ZONE },
  });
  const cdn = () => site.stack.cdn!;

  it("requests the certificate through a provider of us-east-1, whatever the primary region", () => {
    expect(site.json.provider.aws).toContainEqual(
      expect.objectContaining({ alias: "cdn-certificate", region: "us-east-1" }),
    );
    expect(blockOf(site, cdn().certificate!.certificate).provider).toBe("aws.cdn-certificate");
    expect(blockOf(site, cdn().certificate!.validation).provider).toBe("aws.cdn-certificate");
  });

  it("tags what the us-east-1 provider creates like everything else", () => {
    const certificateProvider = site.json.provider.aws.find((p) => p.alias === "cdn-certificate");
    const primary = site.json.provider.aws.find((p) => p.alias === "primary");
    expect(certificateProvider?.default_tags).toEqual(primary?.default_tags);
  });

  it("serves the names with the certificate once it is validated", () => {
    expect(blockOf(site, cdn().distribution.distribution).viewer_certificate).toEqual({
      acm_certificate_arn: refOf(site, cdn().certificate!.validation, "certificate_arn"),
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
  });

  it("points an A and an AAAA alias record per name at the distribution, in the given zone", () => {
    const distribution = cdn().distribution.distribution;
    const records = cdn().aliasRecords!.records.map((r) => blockOf(site, r));
    expect(records.map((r) => [r.name, r.type])).toEqual([
      ["example.com", "A"],
      ["example.com", "AAAA"],
      ["www.example.com", "A"],
      ["www.example.com", "AAAA"],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        zone_id: ZONE,
        alias: {
          name: refOf(site, distribution, "domain_name"),
          zone_id: refOf(site, distribution, "hosted_zone_id"),
          evaluate_target_health: false,
        },
      });
    }
  });

  it("synthesizes with no error finding from the rule pack", () => {
    const stack = new SiteStorageStack(
      Testing.app(),
      "site",
      parseSettings({ cdn: { domainNames: ["www.example.com"], hostedZoneId: ZONE } } satisfies SettingsInput),
    );
    const pack = RulePack.applyTo(stack, SITE_RULES);
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(pack.report(stack).errors).toEqual([]);
  });
});

/** Every resource address each resource refers to or depends on (data sources left out). */
function dependencyGraph(site: SiteFixture): Map<string, Set<string>> {
  const addresses = new Set(allResources(site).map((r) => r.address));
  const graph = new Map<string, Set<string>>();
  for (const { address, block } of allResources(site)) {
    const text = JSON.stringify({ ...block, "//": undefined });
    const referenced = [...text.matchAll(/\b(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    graph.set(address, new Set(referenced.filter((r) => addresses.has(r) && r !== address)));
  }
  return graph;
}

/** Everything `address` waits for, directly or not. */
function waitsFor(graph: Map<string, Set<string>>, address: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(address) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

describe("the dependency graph of the CDN stage", () => {
  const site = synthSite({ cdn: { domainNames: ["www.example.com"], hostedZoneId: ZONE } });
  const graph = dependencyGraph(site);
  const address = (element: Parameters<typeof refOf>[1]) => refOf(site, element, "x").slice(2, -3);
  const cdn = site.stack.cdn!;
  const distribution = address(cdn.distribution.distribution);

  it("creates the distribution after the primary bucket and the origin access control", () => {
    const before = waitsFor(graph, distribution);
    expect(before).toContain(address(site.stack.primaryBucket.bucket));
    expect(before).toContain(address(cdn.originAccessControl.control));
  });

  it("never makes the distribution wait for a lifecycle configuration (its ~55 s settle)", () => {
    const before = [...waitsFor(graph, distribution)];
    expect(before.filter((a) => a.startsWith("aws_s3_bucket_lifecycle_configuration."))).toEqual([]);
    for (const lifecycle of allResources(site).filter((r) => r.type === "aws_s3_bucket_lifecycle_configuration")) {
      expect(waitsFor(graph, lifecycle.address)).not.toContain(distribution);
    }
  });

  it("puts the primary key and bucket policies after the distribution, never before it", () => {
    expect(waitsFor(graph, address(site.stack.primaryKey.policy))).toContain(distribution);
    expect(waitsFor(graph, address(site.stack.primaryBucket.policy))).toContain(distribution);
    const before = waitsFor(graph, distribution);
    expect(before).not.toContain(address(site.stack.primaryKey.policy));
    expect(before).not.toContain(address(site.stack.primaryBucket.policy));
  });

  it("has no cycle", () => {
    for (const node of graph.keys()) expect(waitsFor(graph, node)).not.toContain(node);
  });
});
