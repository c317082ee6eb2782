import type { LifecycleRuleFilter, ReplicationRuleFilter, Tag } from "@aws-sdk/client-s3";

/** Tags as Terraform holds them in an `and` block: a map. */
function tagMap(tags: readonly Tag[] | undefined): Record<string, string> | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  return Object.fromEntries(tags.map((tag) => [String(tag.Key), String(tag.Value)]));
}

/**
 * A lifecycle or replication rule filter as Terraform holds it. The filter that selects every
 * object is `filter {}` whether S3 returns no filter, `{}` or `{ Prefix: "" }` (S3 and moto read
 * `filter {}` back as an empty prefix; the provider treats them alike); `legacyPrefix` is the
 * rule's deprecated top-level `Prefix`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
 */
export function filterBlock(
  filter: LifecycleRuleFilter | ReplicationRuleFilter | undefined,
  legacyPrefix?: string,
): Record<string, unknown> {
  const f = (filter ?? {}) as LifecycleRuleFilter;
  const and = f.And;
  const block: Record<string, unknown> = {
    prefix: f.Prefix || legacyPrefix || undefined,
    tag: f.Tag ? { key: f.Tag.Key, value: f.Tag.Value } : undefined,
    object_size_greater_than: f.ObjectSizeGreaterThan,
    object_size_less_than: f.ObjectSizeLessThan,
    and: and
      ? {
          prefix: and.Prefix || undefined,
          tags: tagMap(and.Tags),
          object_size_greater_than: and.ObjectSizeGreaterThan,
          object_size_less_than: and.ObjectSizeLessThan,
        }
      : undefined,
  };
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined));
}
