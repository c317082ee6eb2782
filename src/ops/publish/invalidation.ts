/**
 * Which paths to invalidate in the CloudFront distribution after a publish, and the request.
 *
 * - Only files that changed, appeared or were deleted, and only those that are not
 *   fingerprinted: a fingerprinted file's URL changes with its content, so no cache can hold a
 *   stale copy under the new name. A new file is included because CloudFront may have cached
 *   the 404 it got before.
 * - `/` as well when the root `index.html` changed: the default root object applies only to
 *   the root URL, which is cached under `/`, not `/index.html`
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DefaultRootObject.html).
 * - More paths than the threshold collapse to the one wildcard `/*`: the first 1,000 paths a
 *   month are free and a wildcard counts as one path (https://aws.amazon.com/cloudfront/pricing/);
 *   at most 3,000 individual paths and 15 wildcard paths may be in progress per distribution
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html).
 * - Paths are URL-encoded per segment: CloudFront asks for non-ASCII and unsafe characters
 *   encoded (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/invalidation-specifying-objects.html).
 */
import { randomBytes } from "node:crypto";
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";

/** The paths to invalidate, and whether they were collapsed to `/*`. */
export interface InvalidationPaths {
  readonly paths: readonly string[];
  /** How many individual paths there were before a collapse. */
  readonly individual: number;
  readonly collapsed: boolean;
}

/** The URL path of a key: `/` and each segment percent-encoded. */
export function urlPath(key: string): string {
  return `/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * The invalidation for `touched` keys (uploaded or deleted): their URL paths, minus the
 * fingerprinted ones, plus `/` for the root index.html; `/*` when there are more than
 * `collapseAt`.
 */
export function invalidationPaths(
  touched: readonly string[],
  isFingerprinted: (key: string) => boolean,
  collapseAt: number,
): InvalidationPaths {
  const paths = new Set<string>();
  for (const key of touched) {
    if (isFingerprinted(key)) continue;
    if (key === "index.html") paths.add("/");
    paths.add(urlPath(key));
  }
  const sorted = [...paths].sort();
  if (sorted.length > collapseAt) return { paths: ["/*"], individual: sorted.length, collapsed: true };
  return { paths: sorted, individual: sorted.length, collapsed: false };
}

/** Seconds between two looks at an invalidation in progress (it takes minutes on AWS). */
const POLL_SECONDS = 10;

/** Sends the invalidation; returns its id. */
export async function createInvalidation(
  cloudfront: CloudFrontClient,
  distributionId: string,
  paths: readonly string[],
): Promise<string> {
  // Loaded only to send one: a publish that changed nothing never does.
  const { CreateInvalidationCommand } = await import("@aws-sdk/client-cloudfront");
  const answer = await cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: {
        // Unique per request: CloudFront treats a repeated reference as the same request.
        CallerReference: `site-publish-${Date.now()}-${randomBytes(4).toString("hex")}`,
        Paths: { Quantity: paths.length, Items: [...paths] },
      },
    }),
  );
  return answer.Invalidation?.Id ?? "(no id returned)";
}

/** Waits until the invalidation is `Completed`, reporting its status now and then. */
export async function waitForInvalidation(
  cloudfront: CloudFrontClient,
  distributionId: string,
  id: string,
  progress: (line: string) => void,
): Promise<void> {
  const { GetInvalidationCommand } = await import("@aws-sdk/client-cloudfront");
  const started = Date.now();
  for (;;) {
    const answer = await cloudfront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
    const status = answer.Invalidation?.Status ?? "unknown";
    if (status === "Completed") return;
    progress(`invalidation ${id}: ${status} after ${Math.round((Date.now() - started) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000));
  }
}
