/**
 * Where a publish goes, found the way `npm run verify` finds a deployment: the user's settings
 * synthesized, the account from STS, the stack's outputs resolved against what is live. No
 * Terraform state is needed.
 *
 * - the bucket: output `primary_bucket_name`, in output `primary_region`;
 * - the distribution: output `distribution_id`. Its id is made by AWS, so when the live index
 *   cannot resolve it, the distribution is the one whose S3 origin is the primary bucket. With
 *   no such output, or no such distribution deployed, there is nothing to invalidate.
 */
import { ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { isRecord } from "../../common/json";
import { AwsClients, AwsEnv } from "../aws-clients";
import { discoverDeployment, whoAmI } from "../verify/live-index";
import { StateIndex, resolveReferences } from "../verify/references";
import { PublishCannotRunError } from "./errors";

/** The bucket to publish into and, when there is one, the distribution in front of it. */
export interface PublishTarget {
  readonly bucket: string;
  readonly region: string;
  readonly distributionId?: string;
  /** The account STS answered with. */
  readonly account: string;
}

/** An output of the synthesized stack, resolved against the live deployment; undefined when absent or unresolvable. */
function output(synthesized: unknown, index: StateIndex, name: string): string | undefined {
  const outputs = isRecord(synthesized) && isRecord(synthesized.output) ? synthesized.output : {};
  const declared = outputs[name];
  if (!isRecord(declared)) return undefined;
  try {
    return String(resolveReferences(declared.value, index, `output.${name}`));
  } catch {
    return undefined;
  }
}

/** Why STS could not answer, in the words a user acts on. */
function stsProblem(error: unknown, env: AwsEnv, region: string): PublishCannotRunError {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? "";
  if (
    ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(code) ||
    err.name === "TimeoutError"
  )
    return new PublishCannotRunError(
      "endpoint",
      `cannot reach ${env.AWS_ENDPOINT_URL ?? `AWS STS in ${region}`} (${code || err.name}): check AWS_ENDPOINT_URL, or start the emulator (npm run emulator)`,
    );
  const what =
    err.name === "CredentialsProviderError"
      ? "no AWS credentials were found"
      : `AWS refused the credentials (${err.name}: ${err.message})`;
  return new PublishCannotRunError(
    "credentials",
    `${what}: set AWS_PROFILE, or sign in (aws sso login), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
  );
}

/** The distribution whose origin is `bucket`'s S3 REST endpoint, if one exists. */
async function distributionOf(clients: AwsClients, bucket: string): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = (await clients.cloudfront().send(new ListDistributionsCommand({ Marker: marker }))).DistributionList;
    const match = (page?.Items ?? []).find((d) =>
      (d.Origins?.Items ?? []).some((o) => (o.DomainName ?? "").startsWith(`${bucket}.s3.`)),
    );
    if (match?.Id) return match.Id;
    marker = page?.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

/**
 * The target of `synthesized` (the storage stack's cdk.tf.json) in the account the
 * environment reaches. Throws PublishCannotRunError when there are no credentials, no
 * endpoint, or no deployed bucket.
 */
export async function findTarget(synthesized: unknown, clients: AwsClients, env: AwsEnv): Promise<PublishTarget> {
  const stsRegion = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const caller = await whoAmI(clients, stsRegion).catch((error: unknown) => {
    throw stsProblem(error, env, stsRegion);
  });
  const index = await discoverDeployment(synthesized, clients, caller);
  const bucket = output(synthesized, index, "primary_bucket_name");
  const region = output(synthesized, index, "primary_region");
  if (bucket === undefined || region === undefined)
    throw new PublishCannotRunError(
      "settings",
      "the synthesized stack has no primary_bucket_name and primary_region outputs: is it the site-storage stack?",
    );
  try {
    await clients.s3(region).send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    if (["NotFound", "NoSuchBucket"].includes(name))
      throw new PublishCannotRunError(
        "not-deployed",
        `the primary bucket ${bucket} does not exist in account ${caller.account}: deploy site-storage first ` +
          "(npx cdktf deploy site-storage), or check that the credentials and SITE_CONFIG select the deployment you mean",
      );
    throw new PublishCannotRunError(
      "access",
      `cannot reach the primary bucket ${bucket} (${name}): ${(error as Error).message}`,
    );
  }
  const declaresDistribution =
    isRecord(synthesized) && isRecord(synthesized.output) && "distribution_id" in synthesized.output;
  const distributionId = declaresDistribution
    ? (output(synthesized, index, "distribution_id") ?? (await distributionOf(clients, bucket)))
    : undefined;
  return { bucket, region, distributionId, account: caller.account };
}
