// The reachability probe after the verifier: each declared distribution found live is probed on
// its live domain name and its origin's S3 domain, as rows; on the emulator, one tolerated row
// saying what it cannot show. Fetch is a stand-in: no network.
import { ProbeFetch, ProbeResponse } from "../../src/ops/cdn-reachability";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { probeDistributions } from "../../src/ops/probe/cdn-probe";
import { StateIndex } from "../../src/ops/terraform/references";
import { distributionTargets } from "../../src/ops/deployment/probe-targets";
import { synthSite } from "./helpers/site-fixture";

const BUCKET = "portfolio-site-primary-111122223333";
const ORIGIN = `${BUCKET}.s3.us-east-1.amazonaws.com`;
const DOMAIN = "dsite.cloudfront.net";

const synthesized = synthSite().json;
const resources = synthesized.resource;
const [distributionName] = Object.keys(resources.aws_cloudfront_distribution);
const bucketName = Object.keys(resources.aws_s3_bucket).find((name) => name.startsWith("primary-bucket"))!;

/** The probe's rows on a deployment where the distribution's live domain is `domain`. */
function probeWith(domain: string, fetch: ProbeFetch, tolerances = [] as typeof EMULATOR_DIFFERENCES) {
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
  return probeDistributions(distributionTargets(synthesized, index), tolerances, fetch);
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
    const rows = await probeWith(DOMAIN, fetch);
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
    const rows = await probeWith(DOMAIN, fetch);
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
    const [https] = await probeWith(DOMAIN, fetch);
    expect(https).toMatchObject({ status: "fail", note: expect.stringContaining("npm run publish") });
  });

  it("asks nothing about a distribution that was not found (its reader's rows fail already)", async () => {
    const { fetch, urls } = fetchAnswering();
    expect(await probeWith("(missing: no distribution with an origin x)", fetch)).toEqual([]);
    expect(urls).toEqual([]);
  });

  it("on the emulator, asks nothing and gives one tolerated row naming what it cannot show", async () => {
    const { fetch, urls } = fetchAnswering();
    const rows = await probeWith(DOMAIN, fetch, EMULATOR_DIFFERENCES);
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
    const targets = distributionTargets(storageOnly, new StateIndex([]));
    const { fetch, urls } = fetchAnswering();
    expect(targets).toEqual([]);
    expect(await probeDistributions(targets, [], fetch)).toEqual([]);
    expect(urls).toEqual([]);
  });
});
