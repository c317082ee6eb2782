// The CDN reachability probe, with fetch replaced by answers per URL: no network. Each check
// passes on what CloudFront and S3 answer for the stack as deployed, and fails, saying what it
// found, on an answer a weakened deployment would give.
import { ProbeFetch, ProbeResponse, ReachabilityCheck, probeCdnReachability } from "../../src/ops/cdn-reachability";

const DOMAIN = "d111111abcdef8.cloudfront.net";
const ORIGIN = "site-primary-111122223333.s3.us-east-1.amazonaws.com";
const TARGET = { distributionDomain: DOMAIN, originDomain: ORIGIN, rootObject: "index.html" };
const HTTPS = `https://${DOMAIN}/`;
const HTTP = `http://${DOMAIN}/`;
const S3 = `https://${ORIGIN}/index.html`;
const HSTS = "max-age=31536000";

/** An answer with these headers (names as HTTP sends them; looked up case-insensitively, as fetch does). */
function answer(status: number, headers: Record<string, string> = {}): ProbeResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: { get: (name) => lower.get(name.toLowerCase()) ?? null } };
}

/** What AWS answers for the stack as deployed. */
const DEPLOYED: Record<string, ProbeResponse> = {
  [HTTPS]: answer(200, { "X-Amz-Cf-Id": "rEZ41zHijmTaPJrLdiavv7oU8g==", "Strict-Transport-Security": HSTS }),
  [HTTP]: answer(301, { Location: HTTPS, "X-Amz-Cf-Id": "f2wapYYeDsh4bHN65Ftx==" }),
  [S3]: answer(403),
};

/** A fetch answering from `answers` (the deployed ones unless replaced), recording each call. */
function fakeFetch(answers: Record<string, ProbeResponse | Error> = {}) {
  const calls: { url: string; init: Parameters<ProbeFetch>[1] }[] = [];
  const fetch: ProbeFetch = async (url, init) => {
    calls.push({ url, init });
    const found = { ...DEPLOYED, ...answers }[url];
    if (found === undefined) throw new Error(`unexpected request to ${url}`);
    if (found instanceof Error) throw found;
    return found;
  };
  return { fetch, calls };
}

async function probe(answers: Record<string, ProbeResponse | Error> = {}): Promise<ReachabilityCheck[]> {
  return probeCdnReachability(TARGET, { fetch: fakeFetch(answers).fetch, timeoutMs: 1_000 });
}

/** The one check of that name. */
function check(checks: readonly ReachabilityCheck[], name: ReachabilityCheck["name"]): ReachabilityCheck {
  const found = checks.filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name} check, found ${found.length}`);
  return found[0];
}

describe("the CDN reachability probe", () => {
  it("passes all three checks on what CloudFront and S3 answer for the deployed stack", async () => {
    expect(await probe()).toEqual([
      {
        name: "https-from-cloudfront",
        url: HTTPS,
        expected: "status < 400, x-amz-cf-id (or via: CloudFront), strict-transport-security",
        found: `status 200, x-amz-cf-id present, strict-transport-security "${HSTS}"`,
        ok: true,
      },
      {
        name: "http-redirects-to-https",
        url: HTTP,
        expected: `301 or 302, location https://${DOMAIN}/…`,
        found: `status 301, location ${HTTPS}`,
        ok: true,
      },
      {
        name: "s3-unsigned-refused",
        url: S3,
        expected: "403 (only the distribution may read)",
        found: "status 403",
        ok: true,
      },
    ]);
  });

  it("sends unsigned GETs that never follow a redirect, each with its own abort signal", async () => {
    const { fetch, calls } = fakeFetch();
    await probeCdnReachability(TARGET, { fetch, timeoutMs: 1_000 });
    expect(calls.map((c) => c.url).sort()).toEqual([HTTP, HTTPS, S3].sort());
    for (const { init } of calls) {
      expect(init).toEqual({ method: "GET", redirect: "manual", signal: expect.any(AbortSignal) });
    }
    expect(new Set(calls.map((c) => c.init.signal)).size).toBe(3);
  });

  it("accepts a via header naming CloudFront when x-amz-cf-id is absent", async () => {
    const checks = await probe({
      [HTTPS]: answer(200, { Via: "1.1 abc.cloudfront.net (CloudFront)", "Strict-Transport-Security": HSTS }),
    });
    expect(check(checks, "https-from-cloudfront")).toMatchObject({
      found: `status 200, via "1.1 abc.cloudfront.net (CloudFront)", strict-transport-security "${HSTS}"`,
      ok: true,
    });
  });

  it.each([
    [
      "no strict-transport-security (no response headers policy)",
      answer(200, { "X-Amz-Cf-Id": "x" }),
      "status 200, x-amz-cf-id present, no strict-transport-security",
    ],
    [
      "an answer that is not CloudFront's",
      answer(200, { "Strict-Transport-Security": HSTS }),
      `status 200, no x-amz-cf-id, no via, strict-transport-security "${HSTS}"`,
    ],
    [
      "an error status (nothing published, or the origin refusing CloudFront)",
      answer(403, { "X-Amz-Cf-Id": "x", "Strict-Transport-Security": HSTS }),
      `status 403, x-amz-cf-id present, strict-transport-security "${HSTS}"`,
    ],
  ])("fails the HTTPS check on %s", async (_case, response, found) => {
    expect(check(await probe({ [HTTPS]: response }), "https-from-cloudfront")).toMatchObject({ found, ok: false });
  });

  it.each([
    ["content over plain HTTP (allow-all)", answer(200, { "X-Amz-Cf-Id": "x" }), "status 200, no location"],
    [
      "a redirect to plain HTTP",
      answer(301, { Location: `http://${DOMAIN}/` }),
      `status 301, location http://${DOMAIN}/`,
    ],
    [
      "a redirect to another host",
      answer(302, { Location: "https://elsewhere.example.com/" }),
      "status 302, location https://elsewhere.example.com/",
    ],
  ])("fails the redirect check on %s", async (_case, response, found) => {
    expect(check(await probe({ [HTTP]: response }), "http-redirects-to-https")).toMatchObject({ found, ok: false });
  });

  it.each([
    ["a public object", 200],
    ["a missing object (the bucket lets everyone list it)", 404],
  ])("fails the S3 check on %s", async (_case, status) => {
    expect(check(await probe({ [S3]: answer(status) }), "s3-unsigned-refused")).toMatchObject({
      found: `status ${status}`,
      ok: false,
    });
  });

  it("names the network error and its cause instead of an answer", async () => {
    const error = new TypeError("fetch failed", { cause: new Error(`getaddrinfo ENOTFOUND ${DOMAIN}`) });
    expect(check(await probe({ [HTTPS]: error }), "https-from-cloudfront")).toMatchObject({
      found: `request failed: fetch failed: getaddrinfo ENOTFOUND ${DOMAIN}`,
      ok: false,
    });
  });

  it("abandons a request that outlives its timeout, and still answers the other checks", async () => {
    const { fetch: answers } = fakeFetch();
    const fetch: ProbeFetch = (url, init) =>
      url === HTTP
        ? new Promise((_resolve, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)))
        : answers(url, init);
    const checks = await probeCdnReachability(TARGET, { fetch, timeoutMs: 50 });
    expect(check(checks, "http-redirects-to-https")).toMatchObject({ found: "no answer within 50 ms", ok: false });
    expect(checks.filter((c) => c.ok).map((c) => c.name)).toEqual(["https-from-cloudfront", "s3-unsigned-refused"]);
  });

  it("asks S3 for the root object the distribution names, whatever its leading slash", async () => {
    const { fetch, calls } = fakeFetch({ [`https://${ORIGIN}/home.html`]: answer(403) });
    await probeCdnReachability({ ...TARGET, rootObject: "/home.html" }, { fetch, timeoutMs: 1_000 });
    expect(calls.map((c) => c.url)).toContain(`https://${ORIGIN}/home.html`);
  });
});
