import { ResourceReader, declaredString } from "./reader";

/**
 * `aws_kms_alias`: the key it points at. The declared `target_key_id` resolves to the key the
 * stack's buckets encrypt with (see `../../deployment/live-index.ts`), so a repointed alias fails here, naming
 * both keys.
 */
export const kmsAliasReader: ResourceReader = {
  type: "aws_kms_alias",
  async read(ctx, target) {
    const name = declaredString(target, "name");
    const live = await ctx.aliases.find(target.region, name);
    return live === undefined ? undefined : { name, target_key_id: live.TargetKeyId };
  },
};
