import { isRecord } from "../../common/json";
import { StateIndex, StateResource, resolveReferences } from "../terraform/references";
import { providerDefaultTags, providerOf, providerRegions } from "../terraform/synthesized";
import { DeploymentInputError } from "../deployment/errors";

/**
 * What the stack declared, read from the synthesized cdk.tf.json, with its references resolved
 * against the live deployment. The verifier knows resources by Terraform type and logical name,
 * never by construct ids, so it verifies any deployment made from the same JSON.
 */

/** One declared resource: its type, logical name and raw (unresolved) arguments. */
export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
}

/** The declared stack, bound to the live values its references resolve to. */
export class Declaration {
  readonly state: StateIndex;
  private readonly resourcesByType = new Map<string, DeclaredResource[]>();
  private readonly regions: Map<string, string>;
  private readonly defaultTags: Map<string, Record<string, string>>;

  /**
   * @param synthesized parsed cdk.tf.json
   * @param state what the deployment's references resolve to (see `discoverDeployment`)
   * @param defaultRegion region of a provider block that names none (`AWS_REGION`)
   */
  constructor(synthesized: unknown, state: StateIndex, defaultRegion?: string) {
    if (!isRecord(synthesized) || !isRecord(synthesized.resource)) {
      throw new DeploymentInputError(
        'synthesized JSON has no "resource" block: pass the parsed cdk.tf.json of the stack',
      );
    }
    this.state = state;
    for (const [type, byName] of Object.entries(synthesized.resource)) {
      if (!isRecord(byName)) continue;
      this.resourcesByType.set(
        type,
        Object.entries(byName)
          .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
          .map(([name, config]) => ({ type, name, config })),
      );
    }
    this.regions = providerRegions(synthesized, defaultRegion);
    this.defaultTags = providerDefaultTags(synthesized);
  }

  /** Every declared resource, by type in the order of the JSON. */
  all(): readonly DeclaredResource[] {
    return [...this.resourcesByType.values()].flat();
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

  /** The live instance of a declared resource, or a DeploymentInputError when it was not found. */
  applied(resource: DeclaredResource): StateResource {
    const found = this.state.managed(resource.type, resource.name);
    if (found === undefined) {
      throw new DeploymentInputError(
        `${resource.type}.${resource.name} is declared but was not found in the deployment`,
      );
    }
    return found;
  }

  /** The region of the provider a resource names (`"aws.primary"`), or of the default provider. */
  regionOf(resource: DeclaredResource): string {
    const provider = providerOf(resource.config);
    const region = this.regions.get(provider);
    if (region === undefined) {
      throw new DeploymentInputError(`provider "${provider}" of ${resource.type}.${resource.name} declares no region`);
    }
    return region;
  }

  /** The default tags of the provider a resource names (empty when it has none). */
  defaultTagsOf(resource: DeclaredResource): Record<string, string> {
    return this.defaultTags.get(providerOf(resource.config)) ?? {};
  }
}
