/**
 * The CDN reachability probe (`../cdn-reachability.ts`) as verifier rows, run by `npm run verify`
 * after the read-only checks, like the object probe: one row per check and distribution found,
 * on the distribution's live domain name. On an emulator that serves nothing through a
 * distribution (difference `distribution-serves-nothing`), one tolerated row per distribution says
 * what was not shown instead. Read-only, but it sends requests the deployment serves: skipped by
 * `--no-probe`.
 */
import { ProbeFetch, probeCdnReachability } from "../cdn-reachability";
import type { EmulatorDifference } from "../emulator/differences";
import type { DistributionTarget } from "../deployment/probe-targets";
import { VerifyRow } from "../verify/row";

/** How long each probe request may take. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Why HTTPS may fail on a sound deployment. */
const UNANSWERED_HINT =
  "a new distribution takes minutes to deploy, and / answers 403 or 404 until the site is published (npm run publish)";
/** What the probe shows, for the rows. */
const SHOWS = "HTTPS answered by CloudFront with HSTS; HTTP redirected to HTTPS; the S3 URL refused unsigned";

/** The reachability rows of every distribution (none when the stack declares none). */
export async function probeDistributions(
  distributions: readonly DistributionTarget[],
  tolerances: readonly EmulatorDifference[],
  fetch: ProbeFetch,
): Promise<VerifyRow[]> {
  const servesNothing = tolerances.find((d) => d.id === "distribution-serves-nothing");
  const rows: VerifyRow[] = [];
  for (const target of distributions) {
    if (servesNothing !== undefined) {
      rows.push({
        resource: target.address,
        path: "probe: reachability",
        expected: SHOWS,
        found: "not shown on the emulator",
        status: "tolerated",
        note: `${servesNothing.behaviour}; run npm run verify against AWS to see it`,
      });
      continue;
    }
    const checks = await probeCdnReachability(
      { distributionDomain: target.domain, originDomain: target.originDomain, rootObject: target.rootObject },
      { fetch, timeoutMs: REQUEST_TIMEOUT_MS },
    );
    for (const check of checks) {
      rows.push({
        resource: `${target.address} (${target.domain})`,
        path: `probe: ${check.name} ${check.url}`,
        expected: check.expected,
        found: check.found,
        status: check.ok ? "pass" : "fail",
        ...(check.ok || check.name !== "https-from-cloudfront" ? {} : { note: UNANSWERED_HINT }),
      });
    }
  }
  return rows;
}
