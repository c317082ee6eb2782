/**
 * Reading a synthesized cdk.tf.json: its repeatable blocks, its resources by type and name, and
 * its AWS providers (region and default tags of each, by `aws.<alias>`).
 */
import { isRecord } from "../../common/json";

/** `resource` or `data` of a synthesized stack: type, then logical name, then arguments. */
export type Declared = Record<string, Record<string, Record<string, unknown>>>;

/** `synthesized.<section>` as type → name → arguments (empty when it has none). */
export function section(synthesized: unknown, name: "resource" | "data"): Declared {
  const value = isRecord(synthesized) ? synthesized[name] : undefined;
  return (isRecord(value) ? value : {}) as Declared;
}

/** Synthesized blocks that may repeat: always a list. */
export function jsonBlocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(isRecord);
}

/** The `provider` argument of a resource: `aws.<alias>`, or `aws` for the unaliased provider. */
export function providerOf(config: Record<string, unknown>): string {
  return typeof config.provider === "string" ? config.provider : "aws";
}

/**
 * The region of each AWS provider of the stack, by `aws.<alias>` (`aws` for the unaliased one).
 * One rule for a provider block that names no region: it takes `defaultRegion` (`AWS_REGION`,
 * as the provider itself does); without one it has no entry, and asking for it is an error.
 */
export function providerRegions(synthesized: unknown, defaultRegion: string | undefined): Map<string, string> {
  const providers = isRecord(synthesized) && isRecord(synthesized.provider) ? jsonBlocks(synthesized.provider.aws) : [];
  const regions = new Map<string, string>();
  for (const provider of providers) {
    const region = typeof provider.region === "string" ? provider.region : defaultRegion;
    if (region !== undefined) regions.set(typeof provider.alias === "string" ? `aws.${provider.alias}` : "aws", region);
  }
  if (!regions.has("aws") && defaultRegion !== undefined) regions.set("aws", defaultRegion);
  return regions;
}

/** The default tags of each provider, by `aws.<alias>`: every taggable resource must carry them. */
export function providerDefaultTags(synthesized: unknown): Map<string, Record<string, string>> {
  const providers = isRecord(synthesized) && isRecord(synthesized.provider) ? jsonBlocks(synthesized.provider.aws) : [];
  return new Map(
    providers.map((provider) => {
      const tags = jsonBlocks(provider.default_tags).map((block) => (isRecord(block.tags) ? block.tags : {}));
      const merged = Object.fromEntries(tags.flatMap((t) => Object.entries(t).map(([k, v]) => [k, String(v)])));
      return [typeof provider.alias === "string" ? `aws.${provider.alias}` : "aws", merged];
    }),
  );
}
