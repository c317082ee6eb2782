import { isRecord } from "../../common/json";
import { VerifyInputError } from "./errors";
import { StateIndex, StateResource, resolveReferences } from "./references";

/**
 * What the stack declared, read from the synthesized cdk.tf.json, with its references resolved
 * from the state. The verifier knows resources only by Terraform type and by the bucket they
 * configure (the resolved `bucket` argument), never by construct ids, so it can verify any
 * deployment made from the same JSON.
 */

/** One declared resource: its type, logical name and raw (unresolved) arguments. */
export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
}

/** Synthesized blocks are lists of one (`[{...}]`) or objects: the object either way. */
export function jsonBlock(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return isRecord(first) ? first : undefined;
}

/** Synthesized blocks that may repeat: always a list. */
export function jsonBlocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(isRecord);
}

/** The declared stack, bound to the state its references are resolved from. */
export class Declaration {
  readonly state: StateIndex;
  private readonly resourcesByType: Map<string, DeclaredResource[]>;
  private readonly providerRegions: Map<string, string>;
  private readonly defaultRegion?: string;

  /**
   * @param synthesized parsed cdk.tf.json
   * @param state what the deployment's references resolve to (see `discoverDeployment`)
   * @param defaultRegion region of a provider block that names none (`AWS_REGION`)
   */
  constructor(synthesized: unknown, state: StateIndex, defaultRegion?: string) {
    if (!isRecord(synthesized) || !isRecord(synthesized.resource)) {
      throw new VerifyInputError('synthesized JSON has no "resource" block: pass the parsed cdk.tf.json of the stack');
    }
    this.state = state;
    this.defaultRegion = defaultRegion;
    this.resourcesByType = new Map();
    for (const [type, byName] of Object.entries(synthesized.resource)) {
      if (!isRecord(byName)) continue;
      this.resourcesByType.set(
        type,
        Object.entries(byName)
          .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
          .map(([name, config]) => ({ type, name, config })),
      );
    }
    this.providerRegions = new Map();
    const providers = isRecord(synthesized.provider) ? jsonBlocks(synthesized.provider.aws) : [];
    for (const provider of providers) {
      const key = typeof provider.alias === "string" ? `aws.${provider.alias}` : "aws";
      if (typeof provider.region === "string") this.providerRegions.set(key, provider.region);
    }
  }

  /** Every declared resource of one type. */
  resources(type: string): readonly DeclaredResource[] {
    return this.resourcesByType.get(type) ?? [];
  }

  /** One argument of a resource, its references resolved (throws when one cannot be). */
  resolved(resource: DeclaredResource, argument: string): unknown {
    return resolveReferences(
      resource.config[argument],
      this.state,
      `resource.${resource.type}.${resource.name}.${argument}`,
    );
  }

  /** A string argument, resolved; undefined when the argument is not declared. */
  resolvedString(resource: DeclaredResource, argument: string): string | undefined {
    if (resource.config[argument] === undefined) return undefined;
    return String(this.resolved(resource, argument));
  }

  /** The applied instance of a declared resource, or a VerifyInputError when it was not applied. */
  applied(resource: DeclaredResource): StateResource {
    const found = this.state.managed(resource.type, resource.name);
    if (found === undefined) {
      throw new VerifyInputError(
        `${resource.type}.${resource.name} is declared but not in the state (was the stack applied?)`,
      );
    }
    return found;
  }

  /** The region of the provider a resource names (`"aws.primary"`), or of the default provider. */
  regionOf(resource: DeclaredResource): string {
    const provider = typeof resource.config.provider === "string" ? resource.config.provider : "aws";
    const region = this.providerRegions.get(provider) ?? (provider === "aws" ? this.defaultRegion : undefined);
    if (region === undefined) {
      throw new VerifyInputError(`provider "${provider}" of ${resource.type}.${resource.name} declares no region`);
    }
    return region;
  }

  /**
   * The resources of `type` that configure `bucketName`: those whose `bucket` argument resolves
   * to it (`${aws_s3_bucket.x.id}` is the bucket name).
   */
  forBucket(type: string, bucketName: string): DeclaredResource[] {
    return this.resources(type).filter((resource) => this.resolvedString(resource, "bucket") === bucketName);
  }

  /** The single resource of `type` configuring `bucketName`, or undefined. */
  oneForBucket(type: string, bucketName: string): DeclaredResource | undefined {
    const found = this.forBucket(type, bucketName);
    if (found.length > 1) {
      throw new VerifyInputError(`${found.length} ${type} resources configure bucket ${bucketName}; S3 keeps only one`);
    }
    return found[0];
  }
}
