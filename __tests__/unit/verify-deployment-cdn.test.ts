// The verifier against the fake deployment's CDN stage (the default settings): a clean
// distribution and origin access control pass; each drift, made by perturbing one CloudFront
// answer, fails with a row naming the resource, the path, the expected and the found value.
import { EMULATOR_DIFFERENCES, EmulatorDifference } from "../../src/ops/emulator/differences";
import { NOT_DECLARED, NOT_SET, VerifyRow, rowPasses } from "../../src/ops/verify/row";
import { verifyDeployment } from "../../src/ops/verify/verify";
import { FakeDeployment } from "./helpers/fake-deployment";

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
const DISTRIBUTION = "aws_cloudfront_distribution.cdn_distribution";
const OAC = "aws_cloudfront_origin_access_control.cdn_origin-access-control";

let fake: FakeDeployment;
afterEach(() => fake.restore());

async function verify(tolerances: readonly EmulatorDifference[] = []): Promise<VerifyRow[]> {
  const result = await verifyDeployment({ synthesized: fake.synthesized, env: ENV, tolerances });
  return [...result.rows];
}

/** The failing rows, as resource (address without its hash and live name), path, expected, found. */
async function drift(tolerances: readonly EmulatorDifference[] = []) {
  return (await verify(tolerances))
    .filter((row) => !rowPasses(row))
    .map((row) => ({
      resource: row.resource.replace(/_[0-9A-F]{8}( \(.*\))?$/, ""),
      path: row.path,
      expected: row.expected,
      found: row.found,
      ...(row.note === undefined ? {} : { note: row.note }),
    }));
}

describe("a clean deployment with the CDN stage", () => {
  beforeEach(() => {
    fake = new FakeDeployment();
  });

  it("passes a row for the distribution and one for its origin access control", async () => {
    const rows = await verify();
    const cdnRows = rows.filter((row) => row.resource.startsWith("aws_cloudfront_"));
    expect(cdnRows.map((row) => [row.resource.replace(/_[0-9A-F]{8}( \(.*\))?$/, ""), row.status])).toEqual([
      [DISTRIBUTION, "pass"],
      [OAC, "pass"],
    ]);
    expect(rows.filter((row) => !rowPasses(row))).toEqual([]);
  });

  it("reports the distribution deleted, and the grants pinned to it as pointing at a distribution that is gone", async () => {
    fake.cdn.distributions.clear();
    const gone =
      "[arn:aws:cloudfront::123456789012:distribution/(missing: no distribution with an origin portfolio-site-primary-123456789012.s3.us-east-1.amazonaws.com)]";
    const pinned = (resource: string, sid: string) => ({
      resource,
      path: `policy.statement.${sid}.Condition.StringEquals.AWS:SourceArn`,
      expected: gone,
      found: expect.stringMatching(/^\[arn:aws:cloudfront::123456789012:distribution\/E[A-Z0-9]+\]$/),
    });
    expect(await drift()).toEqual([
      { resource: DISTRIBUTION, path: "", expected: "exists, as declared", found: "(missing)" },
      pinned("aws_kms_key_policy.primary-key_policy", "AllowCloudFrontToDecrypt"),
      pinned("aws_s3_bucket_policy.primary-bucket_policy", "AllowCloudFrontOriginAccessControlRead"),
    ]);
  });
});

describe("drift of the CDN stage fails, naming resource, path, expected and found", () => {
  beforeEach(() => {
    fake = new FakeDeployment();
  });

  it("reports viewers allowed plain HTTP and the security headers policy removed, at their paths", async () => {
    const behavior = fake.cdn.distribution().config.DefaultCacheBehavior;
    if (behavior === undefined) throw new Error("the fake distribution has no default cache behaviour");
    behavior.ViewerProtocolPolicy = "allow-all";
    behavior.ResponseHeadersPolicyId = undefined;
    expect(await drift()).toEqual([
      {
        resource: DISTRIBUTION,
        path: "default_cache_behavior.response_headers_policy_id",
        expected: "67f7725c-6f97-4210-82d7-5512b31e9d03",
        found: '""',
      },
      {
        resource: DISTRIBUTION,
        path: "default_cache_behavior.viewer_protocol_policy",
        expected: "redirect-to-https",
        found: "allow-all",
      },
    ]);
  });

  it("reports an origin access control that stopped signing CloudFront's requests", async () => {
    fake.cdn.oac().SigningBehavior = "never";
    expect(await drift()).toEqual([{ resource: OAC, path: "signing_behavior", expected: "always", found: "never" }]);
  });

  it("reports a default tag removed from the distribution", async () => {
    delete fake.cdn.distribution().tags.Project;
    expect(await drift()).toEqual([
      { resource: DISTRIBUTION, path: "tags_all.Project", expected: "portfolio-site", found: NOT_SET },
    ]);
  });

  it("reports a tag on the distribution that the stack does not declare", async () => {
    fake.cdn.distribution().tags.Owner = "someone-else";
    expect(await drift()).toEqual([
      {
        resource: DISTRIBUTION,
        path: "tags_all.Owner",
        expected: NOT_DECLARED,
        found: "someone-else",
        note: "not declared",
      },
    ]);
  });

  it("tolerates the emulator dropping the origin's access control id only with the emulator's list", async () => {
    const origin = fake.cdn.distribution().config.Origins?.Items?.[0];
    if (origin === undefined) throw new Error("the fake distribution has no origin");
    origin.OriginAccessControlId = undefined;
    const onAws = await drift();
    expect(onAws).toEqual([
      {
        resource: DISTRIBUTION,
        path: "origin.origin_access_control_id",
        expected: expect.stringMatching(/^E/),
        found: '""',
      },
    ]);
    expect(await drift(EMULATOR_DIFFERENCES)).toEqual([]);
  });
});

describe("the storage stack without the CDN stage", () => {
  beforeEach(() => {
    fake = new FakeDeployment({ cdn: { enabled: false } });
  });

  it("passes without asking CloudFront anything", async () => {
    const rows = await verify();
    expect(rows.filter((row) => !rowPasses(row))).toEqual([]);
    expect(rows.length).toBeGreaterThan(30);
    expect(fake.cdn.cloudfront.calls()).toEqual([]);
  });
});
