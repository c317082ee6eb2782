import { Token } from "cdktf";
import { IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { formatProblem } from "../../config/errors";

/**
 * A construct was given props that break an invariant its docs state. Thrown from the
 * constructor, before any resource exists, naming the construct, the prop, the value and the
 * rule, in the wording configuration problems use: `site/bucket: accessLogs.bucket (got "x"): …`.
 */
export class PropError extends Error {
  /** The construct path. */
  readonly path: string;
  /** The prop, dotted: `encryption.key`. */
  readonly prop: string;

  constructor(scope: IConstruct, prop: string, value: unknown, rule: string) {
    super(`${scope.node.path}: ${formatProblem({ field: prop, value, rule })}`);
    this.name = "PropError";
    this.path = scope.node.path;
    this.prop = prop;
  }
}

/**
 * The region a provider was configured with, when it is a literal; undefined for a token (a
 * variable or a reference), which cannot be compared at synth.
 */
export function literalRegion(provider: AwsProvider): string | undefined {
  const region = provider.region;
  return region === undefined || Token.isUnresolved(region) ? undefined : region;
}

/** True when both regions are known and differ: unknown regions are validated where they resolve. */
export function regionsDiffer(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}
