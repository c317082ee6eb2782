/**
 * The CDN reachability probe (`../cdn-reachability.ts`) as verifier rows: one row per check and
 * declared distribution, on the distribution's live domain name. On an emulator that serves
 * nothing through a distribution (difference `distribution-serves-nothing`), one tolerated row
 * per distribution says what was not shown instead.
 */
import { jsonBlocks } from "./declaration";
import type { VerifyContext } from "./context";
import { ProbeFetch, probeCdnReachability } from "../cdn-reachability";
import { resolveReferences } from "./references";
import { VerifyRow } from "./row";

/** How long each probe request may take. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Why HTTPS may fail on a sound deployment. */
const UNANSWERED_HINT =
  "a new distribution takes minutes to deploy, and / answers 403 or 404 until the site is published (npm run publish)";
/** What the probe shows, for the rows. */
const SHOWS = "HTTPS answered by CloudFront with HSTS; HTTP redirected to HTTPS; the S3 URL refused unsigned";

/** The reachability rows of every declared distribution (none when the stack declares none). */
export async function cdnProbeRows(ctx: VerifyContext, fetch: ProbeFetch): Promise<VerifyRow[]> {
  const { declaration } = ctx;
  const rows: VerifyRow[] = [];
  for (const resource of declaration.resources("aws_cloudfront_distribution")) {
    const address = `${resource.type}.${resource.name}`;
    const serves = ctx.tolerances.find((d) => d.id === "distribution-serves-nothing");
    if (serves !== undefined) {
      rows.push({
        resource: address,
        path: "probe: reachability",
        expected: SHOWS,
        found: "not shown on the emulator",
        status: "tolerated",
        note: `${serves.behaviour}; run npm run verify against AWS to see it`,
      });
      continue;
    }
    const domain = String(declaration.applied(resource).values.domain_name ?? "");
    // A distribution that was not found already fails its reader's rows: nothing to ask.
    if (domain === "" || domain.startsWith("(missing")) continue;
    // The origin's domain alone: the rest of the block names resources the probe does not need.
    const origin = jsonBlocks(resource.config.origin)[0];
    const originDomain = resolveReferences(origin?.domain_name, declaration.state, `${address}.origin.domain_name`);
    const checks = await probeCdnReachability(
      {
        distributionDomain: domain,
        originDomain: String(originDomain),
        rootObject: declaration.resolvedString(resource, "default_root_object") ?? "index.html",
      },
      { fetch, timeoutMs: REQUEST_TIMEOUT_MS },
    );
    for (const check of checks) {
      rows.push({
        resource: `${address} (${domain})`,
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
