/**
 * The CDN reachability probe: three unsigned HTTP requests that show, from outside AWS, what the
 * CDN stage promises a viewer.
 * - `https://<distribution domain>/` is answered by CloudFront (status below 400, with the
 *   `x-amz-cf-id` request id CloudFront puts on every answer, or a `via` naming CloudFront) and
 *   carries `strict-transport-security` (the SecurityHeadersPolicy's HSTS). CloudFront adds
 *   `Via`, `X-Amz-Cf-Id`, `X-Amz-Cf-Pop` and `X-Cache` itself, and a response headers policy
 *   cannot remove them:
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html#understanding-response-headers-policies-remove-headers
 * - `http://<distribution domain>/` is redirected to `https://` (viewer protocol policy
 *   `redirect-to-https`: CloudFront answers 301 with the HTTPS URL in `Location`):
 *   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
 * - the root object's S3 REST URL (`https://<bucket regional domain>/<object>`), unsigned, is
 *   refused with 403: the bucket blocks public access and grants reads to the distribution only.
 * Each request has its own timeout and never follows a redirect. It reads nothing else and
 * writes nothing; only AWS can answer it (the emulator serves nothing through a distribution).
 */

/** The part of a fetch `Response` the probe reads. */
export interface ProbeResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/** The part of the global `fetch` the probe uses; the caller passes `fetch`, a test a stand-in. */
export type ProbeFetch = (
  url: string,
  init: { readonly method: "GET"; readonly redirect: "manual"; readonly signal: AbortSignal },
) => Promise<ProbeResponse>;

/** What the probe asks about one distribution. */
export interface ReachabilityTarget {
  /** The distribution's own domain name (`d111111abcdef8.cloudfront.net`). */
  readonly distributionDomain: string;
  /** The S3 origin's REST domain (`<bucket>.s3.<region>.amazonaws.com`), as the distribution's origin names it. */
  readonly originDomain: string;
  /** The object the distribution serves for `/` (its default root object), without a leading slash. */
  readonly rootObject: string;
}

/** How the probe runs. */
export interface ReachabilityOptions {
  readonly fetch: ProbeFetch;
  /** Milliseconds each request may take before it is abandoned. */
  readonly timeoutMs: number;
}

/** The three checks, by name. */
export type ReachabilityCheckName = "https-from-cloudfront" | "http-redirects-to-https" | "s3-unsigned-refused";

/** One check: what was asked, what was expected and found, and whether it holds. */
export interface ReachabilityCheck {
  readonly name: ReachabilityCheckName;
  readonly url: string;
  readonly expected: string;
  readonly found: string;
  readonly ok: boolean;
}

/** The statuses a redirect may have; CloudFront's redirect-to-https answers 301. */
const REDIRECT_STATUSES = [301, 302, 307, 308];

/** A request's answer, or what went wrong instead (a timeout, a refused connection, a DNS failure). */
async function ask(url: string, options: ReachabilityOptions): Promise<ProbeResponse | string> {
  try {
    return await options.fetch(url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    // The timeout's reason is a DOMException, which is not an Error in every realm: read its name.
    const name = (error as { name?: unknown } | undefined)?.name;
    if (name === "TimeoutError" || name === "AbortError") return `no answer within ${options.timeoutMs} ms`;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message.trim()}` : "";
    return `request failed: ${error instanceof Error ? error.message : String(error)}${cause}`;
  }
}

/** `https://<domain>/`: answered by CloudFront, below 400, with HSTS. */
async function checkHttps(domain: string, options: ReachabilityOptions): Promise<ReachabilityCheck> {
  const url = `https://${domain}/`;
  const expected = "status < 400, x-amz-cf-id (or via: CloudFront), strict-transport-security";
  const answer = await ask(url, options);
  if (typeof answer === "string") return { name: "https-from-cloudfront", url, expected, found: answer, ok: false };
  const cfId = answer.headers.get("x-amz-cf-id");
  const via = answer.headers.get("via");
  const fromCloudFront = cfId !== null || /cloudfront/i.test(via ?? "");
  const hsts = answer.headers.get("strict-transport-security");
  const found = [
    `status ${answer.status}`,
    cfId !== null ? "x-amz-cf-id present" : via !== null ? `via ${JSON.stringify(via)}` : "no x-amz-cf-id, no via",
    hsts === null ? "no strict-transport-security" : `strict-transport-security ${JSON.stringify(hsts)}`,
  ].join(", ");
  return {
    name: "https-from-cloudfront",
    url,
    expected,
    found,
    ok: answer.status < 400 && fromCloudFront && hsts !== null,
  };
}

/** `http://<domain>/`: redirected to `https://<domain>/…`. */
async function checkHttpRedirect(domain: string, options: ReachabilityOptions): Promise<ReachabilityCheck> {
  const url = `http://${domain}/`;
  const expected = `301 or 302, location https://${domain}/…`;
  const answer = await ask(url, options);
  if (typeof answer === "string") return { name: "http-redirects-to-https", url, expected, found: answer, ok: false };
  const location = answer.headers.get("location");
  const found = `status ${answer.status}, ${location === null ? "no location" : `location ${location}`}`;
  const ok = REDIRECT_STATUSES.includes(answer.status) && (location ?? "").startsWith(`https://${domain}/`);
  return { name: "http-redirects-to-https", url, expected, found, ok };
}

/** The root object's S3 REST URL, unsigned: refused with 403. */
async function checkS3Refused(target: ReachabilityTarget, options: ReachabilityOptions): Promise<ReachabilityCheck> {
  const url = `https://${target.originDomain}/${target.rootObject.replace(/^\/+/, "")}`;
  const expected = "403 (only the distribution may read)";
  const answer = await ask(url, options);
  if (typeof answer === "string") return { name: "s3-unsigned-refused", url, expected, found: answer, ok: false };
  return { name: "s3-unsigned-refused", url, expected, found: `status ${answer.status}`, ok: answer.status === 403 };
}

/** The three checks on one distribution, in order, each with its own timeout. */
export async function probeCdnReachability(
  target: ReachabilityTarget,
  options: ReachabilityOptions,
): Promise<ReachabilityCheck[]> {
  return Promise.all([
    checkHttps(target.distributionDomain, options),
    checkHttpRedirect(target.distributionDomain, options),
    checkS3Refused(target, options),
  ]);
}
