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
 *   the primary bucket (the CDN stage's). With none, there is nothing to invalidate.
 */
import { DistributionSummary } from "@aws-sdk/client-cloudfront";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { parseArn } from "../../common/arn";
import { bucketNames } from "../../config/names";
import type { Settings } from "../../config/schema";
import { AwsClients, AwsEnv } from "../aws-clients";
import { callerIdentity } from "../caller-identity";
import { listDistributions } from "../cloudfront-lists";
import { servingDistribution } from "../deployment/serving-distribution";
import type { EmulatorDifference } from "../emulator/differences";
import { CannotRunError } from "../aws-errors";

/** The bucket to publish into and, when there is one, the distribution in front of it. */
export interface PublishTarget {
  readonly bucket: string;
  readonly region: string;
  readonly distributionId?: string;
  /** The account STS answered with. */
  readonly account: string;
}

/** Every distribution of the account, or why they cannot be listed. */
async function distributions(clients: AwsClients): Promise<DistributionSummary[]> {
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

/** Fails with "not deployed" (or "cannot reach") unless the bucket answers. */
async function requireBucket(clients: AwsClients, bucket: string, region: string, account: string): Promise<void> {
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
 * The target of `settings` in the account the environment reaches; `differences` are the
 * emulator's, when the environment points at one (empty on AWS), awaited only when needed. Throws CannotRunError
 * when there are no credentials, no endpoint, no deployed bucket, or the distributions cannot
 * be listed.
 */
export async function findTarget(
  settings: Settings,
  clients: AwsClients,
  env: AwsEnv,
  differences: Promise<readonly EmulatorDifference[]> | readonly EmulatorDifference[] = [],
): Promise<PublishTarget> {
  const stsRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? settings.primaryRegion;
  const pinned = settings.cloudfrontDistributionArn;
  // The distributions are listed while STS answers; they are matched by bucket name after.
  const listed = pinned === undefined ? distributions(clients) : undefined;
  listed?.catch(() => undefined); // handled below, once the account is known
  const endpoint = env.AWS_ENDPOINT_URL ?? `AWS STS in ${stsRegion}`;
  const { account } = await callerIdentity(clients, stsRegion, { command: "GetCallerIdentityCommand", endpoint });
  const bucket = bucketNames(settings.project, account).primary;
  const region = settings.primaryRegion;
  // The bucket's S3 REST endpoint, in whichever region or partition it is written.
  const servesBucket = (domain: string) => domain.startsWith(`${bucket}.s3.`);
  await requireBucket(clients, bucket, region, account);
  const distributionId =
    pinned !== undefined
      ? parseArn(pinned)?.resource.replace(/^distribution\//, "")
      : (
          await servingDistribution(
            await (listed as Promise<DistributionSummary[]>),
            servesBucket,
            clients,
            await differences,
          )
        )?.Id;
  return { bucket, region, distributionId, account };
}
