/**
 * Where a publish goes: the primary bucket of the deployment the settings describe, in the
 * account the credentials reach, and the CloudFront distribution in front of it, if any.
 *
 * - the bucket: `bucketNames(project, account).primary` (config/names.ts, the one function the
 *   stack names its buckets with), in `primaryRegion`; the account from STS. The app is not
 *   synthesized for this, as `npm run verify` does: the names are the same function's answer,
 *   and a synthesis costs about a second, half the time budget of a publish with nothing to
 *   upload (see the README's benchmark);
 * - the distribution: the one `cloudfrontDistributionArn` names, else the one whose S3 origin is
 *   the primary bucket (the CDN stage's). With none, there is nothing to invalidate. It is looked
 *   up on its own ({@link findDistribution}), so the lookup runs while the bucket is read.
 * The target is named ({@link nameTarget}) apart from checking that its bucket exists
 * ({@link requireBucket}), so that the bucket's listing starts as soon as it is named.
 */
import type { DistributionSummary } from "@aws-sdk/client-cloudfront";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { parseArn } from "../../common/arn";
import { bucketNames } from "../../config/names";
import type { Settings } from "../../config/schema";
import { AwsClients, AwsEnv } from "../aws-clients";
import { callerIdentity } from "../caller-identity";
import type { EmulatorDifference } from "../emulator/differences";
import { CannotRunError } from "../aws-errors";

/** The bucket to publish into. */
export interface PublishTarget {
  readonly bucket: string;
  readonly region: string;
  /** The account STS answered with. */
  readonly account: string;
}

/**
 * The CloudFront lookups, loaded when first used rather than with this module: they load the
 * CloudFront client (about 50 ms under tsx), which a publish with a pinned distribution never
 * needs and any other loads while the bucket is read. (`require`, as `import()` of a source file is left
 * to Node's ESM loader under tsx, which cannot resolve it.)
 */
function cloudfrontLookups() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require("../cloudfront-lists") as typeof import("../cloudfront-lists")),
    ...(require("../deployment/serving-distribution") as typeof import("../deployment/serving-distribution")),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Every distribution of the account, or why they cannot be listed. */
async function distributions(clients: AwsClients): Promise<DistributionSummary[]> {
  const { listDistributions } = cloudfrontLookups();
  try {
    return await listDistributions(clients);
  } catch (error) {
    throw new CannotRunError(
      "access",
      `cannot list the CloudFront distributions to find the one in front of the primary bucket ` +
        `(${(error as Error).name}: ${(error as Error).message}): the credentials need cloudfront:ListDistributions`,
    );
  }
}

/**
 * The bucket the settings name in the account the environment reaches (STS), not yet known to
 * exist: {@link requireBucket} checks that, while the caller may already list it. Throws
 * CannotRunError when there are no credentials or no endpoint.
 */
export async function nameTarget(settings: Settings, clients: AwsClients, env: AwsEnv): Promise<PublishTarget> {
  const stsRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? settings.primaryRegion;
  const endpoint = env.AWS_ENDPOINT_URL ?? `AWS STS in ${stsRegion}`;
  const { account } = await callerIdentity(clients, stsRegion, { command: "GetCallerIdentityCommand", endpoint });
  return { bucket: bucketNames(settings.project, account).primary, region: settings.primaryRegion, account };
}

/** Fails with "not deployed" (or "cannot reach") unless the target's bucket answers. */
export async function requireBucket(clients: AwsClients, target: PublishTarget): Promise<void> {
  const { bucket, region, account } = target;
  try {
    await clients.s3(region).send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    if (["NotFound", "NoSuchBucket"].includes(name))
      throw new CannotRunError(
        "not-deployed",
        `the primary bucket ${bucket} does not exist in account ${account}: deploy site-storage first ` +
          "(npx cdktf deploy site-storage), or check that the credentials and SITE_CONFIG select the deployment you mean",
      );
    throw new CannotRunError(
      "access",
      `cannot reach the primary bucket ${bucket} (${name}): ${(error as Error).message}`,
    );
  }
}

/**
 * The id of the distribution in front of `target`'s bucket, or undefined when there is none;
 * `differences` are the emulator's, when the environment points at one (empty on AWS). Throws
 * CannotRunError when the distributions cannot be listed.
 */
export async function findDistribution(
  settings: Settings,
  target: PublishTarget,
  clients: AwsClients,
  differences: readonly EmulatorDifference[] = [],
): Promise<string | undefined> {
  const pinned = settings.cloudfrontDistributionArn;
  if (pinned !== undefined) return parseArn(pinned)?.resource.replace(/^distribution\//, "");
  const listed = await distributions(clients);
  // The bucket's S3 REST endpoint, in whichever region or partition it is written.
  const servesBucket = (domain: string) => domain.startsWith(`${target.bucket}.s3.`);
  const { servingDistribution } = cloudfrontLookups();
  return (await servingDistribution(listed, servesBucket, clients, differences))?.Id;
}
