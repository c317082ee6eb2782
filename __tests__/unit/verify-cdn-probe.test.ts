// The reachability probe inside the verifier: the declared distribution probed on its live domain
// name and its origin's S3 domain, as rows; on the emulator, one tolerated row saying what it
// cannot show. Fetch is a stand-in: no network.
import { AwsClients } from "../../src/ops/aws-clients";
import { ProbeFetch, ProbeResponse } from "../../src/ops/cdn-reachability";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { cdnProbeRows } from "../../src/ops/verify/cdn-probe-rows";
import { VerifyContext } from "../../src/ops/verify/context";
import { Declaration } from "../../src/ops/verify/declaration";
import { AliasDirectory } from "../../src/ops/verify/kms-aliases";
import { StateIndex } from "../../src/ops/verify/references";
import { synthSite } from "./helpers/site-fixture";

const BUCKET = "portfolio-site-primary-111122223333";
const ORIGIN = `${BUCKET}.s3.us-east-1.amazonaws.com`;
const DOMAIN = "dsite.cloudfront.net";
const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

const synthesized = synthSite().json;
const resources = synthesized.resource;
const [distributionName] = Object.keys(resources.aws_cloudfront_distribution);
const bucketName = Object.keys(resources.aws_s3_bucket).find((name) => name.startsWith("primary-bucket"))!;

/** The verifier's context on a deployment where the distribution's live domain is `domain`. */
function contextWith(domain: string, tolerances = [] as typeof EMULATOR_DIFFERENCES): VerifyContext {
  const index = new StateIndex([
    {
      address: `aws_s3_bucket.${bucketName}`,
      mode: "managed",
      type: "aws_s3_bucket",
      name: bucketName,
      values: { bucket: BUCKET, bucket_regional_domain_name: ORIGIN },
    },
    {
      address: `aws_cloudfront_distribution.${distributionName}`,
      mode: "managed",
      type: "aws_cloudfront_distribution",
      name: distributionName,
      values: { id: "ESITE", domain_name: domain },
    },
  ]);
  // The probe makes no SDK call: the clients are never used.
  const clients = new AwsClients(ENV);
  return new VerifyContext(
    new Declaration(synthesized, index, "us-east-1"),
    clients,
    new AliasDirectory(clients),
    tolerances,
  );
}

const answer = (status: number, headers: Record<string, string> = {}): ProbeResponse => ({
  status,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
});

/** What AWS answers for the deployed site, except for `weakened`. */
function fetchAnswering(weakened: Record<string, ProbeResponse> = {}): { fetch: ProbeFetch; urls: string[] } {
  const urls: string[] = [];
  const answers: Record<string, ProbeResponse> = {
    [`https://${DOMAIN}/`]: answer(200, { "x-amz-cf-id": "id", "strict-transport-security": "max-age=31536000" }),
    [`http://${DOMAIN}/`]: answer(301, { location: `https://${DOMAIN}/` }),
    [`https://${ORIGIN}/index.html`]: answer(403),
    ...weakened,
  };
  return {
    urls,
    fetch: async (url) => {
      urls.push(url);
      const found = answers[url];
      if (found === undefined) throw new Error(`unexpected request to ${url}`);
      return found;
    },
  };
}

describe("the verifier's CDN reachability rows", () => {
  it("probes the live distribution domain and the origin's S3 URL of the declared root object, one passing row each", async () => {
    const { fetch, urls } = fetchAnswering();
    const rows = await cdnProbeRows(contextWith(DOMAIN), fetch);
    expect(urls.sort()).toEqual([`http://${DOMAIN}/`, `https://${DOMAIN}/`, `https://${ORIGIN}/index.html`].sort());
    expect(rows.map((r) => [r.path, r.status])).toEqual([
      [`probe: https-from-cloudfront https://${DOMAIN}/`, "pass"],
      [`probe: http-redirects-to-https http://${DOMAIN}/`, "pass"],
      [`probe: s3-unsigned-refused https://${ORIGIN}/index.html`, "pass"],
    ]);
    expect(new Set(rows.map((r) => r.resource))).toEqual(
      new Set([`aws_cloudfront_distribution.${distributionName} (${DOMAIN})`]),
    );
  });

  it("fails the row of a check the deployment does not meet, with what was found", async () => {
    const { fetch } = fetchAnswering({ [`https://${ORIGIN}/index.html`]: answer(200) });
    const rows = await cdnProbeRows(contextWith(DOMAIN), fetch);
    expect(rows.filter((r) => r.status === "fail")).toEqual([
      {
        resource: `aws_cloudfront_distribution.${distributionName} (${DOMAIN})`,
        path: `probe: s3-unsigned-refused https://${ORIGIN}/index.html`,
        expected: "403 (only the distribution may read)",
        found: "status 200",
        status: "fail",
      },
    ]);
  });

  it("says why HTTPS may fail on a sound deployment: nothing published yet", async () => {
    const { fetch } = fetchAnswering({
      [`https://${DOMAIN}/`]: answer(403, { "x-amz-cf-id": "id", "strict-transport-security": "max-age=31536000" }),
    });
    const [https] = await cdnProbeRows(contextWith(DOMAIN), fetch);
    expect(https).toMatchObject({ status: "fail", note: expect.stringContaining("npm run publish") });
  });

  it("asks nothing about a distribution that was not found (its reader's rows fail already)", async () => {
    const { fetch, urls } = fetchAnswering();
    expect(await cdnProbeRows(contextWith("(missing: no distribution with an origin x)"), fetch)).toEqual([]);
    expect(urls).toEqual([]);
  });

  it("on the emulator, asks nothing and gives one tolerated row naming what it cannot show", async () => {
    const { fetch, urls } = fetchAnswering();
    const rows = await cdnProbeRows(contextWith(DOMAIN, EMULATOR_DIFFERENCES), fetch);
    expect(urls).toEqual([]);
    expect(rows).toEqual([
      {
        resource: `aws_cloudfront_distribution.${distributionName}`,
        path: "probe: reachability",
        expected: "HTTPS answered by CloudFront with HSTS; HTTP redirected to HTTPS; the S3 URL refused unsigned",
        found: "not shown on the emulator",
        status: "tolerated",
        note: "moto stores distributions but serves nothing through them: the domain name it returns answers no request; run npm run verify against AWS to see it",
      },
    ]);
  });

  it("gives no row for a stack without a distribution", async () => {
    const storageOnly = synthSite({ cdn: { enabled: false } }).json;
    const clients = new AwsClients(ENV);
    const ctx = new VerifyContext(
      new Declaration(storageOnly, new StateIndex([]), "us-east-1"),
      clients,
      new AliasDirectory(clients),
      [],
    );
    const { fetch, urls } = fetchAnswering();
    expect(await cdnProbeRows(ctx, fetch)).toEqual([]);
    expect(urls).toEqual([]);
  });
});
