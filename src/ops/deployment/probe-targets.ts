/**
 * Where the probes go in a live deployment: the object probe's buckets, named by the stack's
 * outputs, and the reachability probe's distributions, as `discoverDeployment` found them.
 * Both read the synthesized JSON with its references resolved against the deployment's index.
 */
import { isRecord } from "../../common/json";
import { StateIndex, resolveReferences } from "../terraform/references";
import { jsonBlocks, providerOf, providerRegions, section } from "../terraform/synthesized";
import { DeploymentInputError } from "./errors";

/** A bucket of the object probe: its name, region and the key its objects must be encrypted with. */
export interface BucketTarget {
  /** Its part in the deployment, e.g. "primary". */
  readonly role: string;
  readonly name: string;
  readonly region: string;
  /** The ARN of the key its default encryption uses (from the outputs). */
  readonly keyArn?: string;
}

/** A distribution of the reachability probe: its live domain, its S3 origin's domain and its root object. */
export interface DistributionTarget {
  /** Its Terraform address, e.g. aws_cloudfront_distribution.site_cdn_distribution_1234. */
  readonly address: string;
  readonly domain: string;
  readonly originDomain: string;
  readonly rootObject: string;
}

/**
 * The distributions the reachability probe asks, as deployed. One that was not found already
 * fails its reader's rows, so it has no target: there is nothing to ask.
 */
export function distributionTargets(synthesized: unknown, index: StateIndex): DistributionTarget[] {
  return Object.entries(section(synthesized, "resource").aws_cloudfront_distribution ?? {}).flatMap(
    ([name, config]) => {
      const address = `aws_cloudfront_distribution.${name}`;
      const domain = String(index.managed("aws_cloudfront_distribution", name)?.values.domain_name ?? "");
      if (domain === "" || domain.startsWith("(missing")) return [];
      // The origin's domain alone: the rest of its block names resources the probe does not need.
      const originDomain = String(resolveReferences(jsonBlocks(config.origin)[0]?.domain_name, index, address));
      const root = config.default_root_object;
      const rootObject = root === undefined ? "index.html" : String(resolveReferences(root, index, address));
      return [{ address, domain, originDomain, rootObject }];
    },
  );
}

/** A bucket of the object probe, from the stack's outputs (its name and its key) and its declaration (its region). */
export function probeBucket(
  synthesized: unknown,
  index: StateIndex,
  defaultRegion: string | undefined,
  role: "primary" | "replica",
): BucketTarget {
  const outputs = isRecord(synthesized) && isRecord(synthesized.output) ? synthesized.output : {};
  const value = (name: string) => {
    const output = outputs[name];
    return isRecord(output) ? String(resolveReferences(output.value, index, `output.${name}`)) : undefined;
  };
  const name = value(`${role}_bucket_name`);
  const [, config] =
    Object.entries(section(synthesized, "resource").aws_s3_bucket ?? {}).find(
      ([bucket, c]) => resolveReferences(c.bucket, index, `resource.aws_s3_bucket.${bucket}.bucket`) === name,
    ) ?? [];
  const region = config && providerRegions(synthesized, defaultRegion).get(providerOf(config));
  if (name === undefined || region === undefined) {
    throw new DeploymentInputError(
      `the synthesized stack has no output ${role}_bucket_name naming one of its aws_s3_bucket resources: is it the site-storage stack?`,
    );
  }
  return { role, name, region, keyArn: value(`${role}_key_arn`) };
}
