import { GetBucketLifecycleConfigurationCommand, LifecycleRule } from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { jsonBlock, jsonBlocks } from "./declaration";
import { callAws } from "./aws-call";
import { NOT_SET, compact, defined, checkRow } from "./check-row";

/**
 * Lifecycle rules compared in one normal form, the S3 API's names, from both sides: the
 * Terraform arguments of `aws_s3_bucket_lifecycle_configuration` (snake_case, blocks as lists)
 * and `GetBucketLifecycleConfiguration`. Normalisation, each an S3 equivalence:
 * - a filter that selects every object (`filter {}`, `Prefix: ""`, no filter) is `"all objects"`
 *   (S3 and moto read `filter {}` back as `{ Prefix: "" }`);
 * - `ExpiredObjectDeleteMarker: false` is its absence (the S3 default);
 * - transitions are a set: ordered by days, then class;
 * - dates compare as instants.
 */

/** A rule in normal form: S3 API member names, absent members left out. */
export type NormalLifecycleRule = Record<string, unknown> & { readonly ID: string };

/** Shown for the filter that selects every object. */
export const ALL_OBJECTS = "all objects";

type Raw = Record<string, unknown>;

const num = (value: unknown): number | undefined =>
  value === undefined || value === null || value === "" ? undefined : Number(value);
const iso = (value: unknown): string | undefined =>
  value === undefined || value === null || value === "" ? undefined : new Date(String(value)).toISOString();
const empty = (value: Raw): Raw | undefined => (Object.keys(value).length === 0 ? undefined : value);

function byDaysThenClass(a: Raw, b: Raw): number {
  const days = (x: Raw) => Number(x.Days ?? x.NoncurrentDays ?? -1);
  return days(a) - days(b) || String(a.StorageClass).localeCompare(String(b.StorageClass));
}

/** A filter, in normal form: `"all objects"` or the S3 filter object. */
function normalFilter(filter: Raw | undefined, legacyPrefix: unknown): unknown {
  if (filter === undefined) {
    return legacyPrefix === undefined || legacyPrefix === null || legacyPrefix === ""
      ? ALL_OBJECTS
      : { Prefix: legacyPrefix };
  }
  const out = defined({
    Prefix: filter.Prefix === "" ? undefined : filter.Prefix,
    Tag: filter.Tag,
    ObjectSizeGreaterThan: num(filter.ObjectSizeGreaterThan),
    ObjectSizeLessThan: num(filter.ObjectSizeLessThan),
    And: filter.And,
  });
  return Object.keys(out).length === 0 ? ALL_OBJECTS : out;
}

/** The tags of an `and` block, sorted: Terraform gives a map, S3 a list. */
function normalTags(tags: unknown): { Key: string; Value: string }[] | undefined {
  if (tags === undefined || tags === null) return undefined;
  const list = Array.isArray(tags)
    ? (tags as Raw[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value) }))
    : Object.entries(tags as Raw).map(([Key, Value]) => ({ Key, Value: String(Value) }));
  return list.sort((a, b) => a.Key.localeCompare(b.Key));
}

/**
 * A declared `filter` block (lifecycle or replication rule; list or object) in normal form;
 * `legacyPrefix` is the rule's deprecated top-level `prefix`.
 */
export function filterFromTerraform(filterBlock: unknown, legacyPrefix: unknown): unknown {
  const filter = jsonBlock(filterBlock);
  const and = filter ? jsonBlock(filter.and) : undefined;
  const tag = filter ? jsonBlock(filter.tag) : undefined;
  return normalFilter(
    filter &&
      defined({
        Prefix: filter.prefix,
        Tag: tag && { Key: String(tag.key), Value: String(tag.value) },
        ObjectSizeGreaterThan: filter.object_size_greater_than,
        ObjectSizeLessThan: filter.object_size_less_than,
        And:
          and &&
          defined({
            Prefix: and.prefix === "" ? undefined : and.prefix,
            Tags: normalTags(and.tags),
            ObjectSizeGreaterThan: num(and.object_size_greater_than),
            ObjectSizeLessThan: num(and.object_size_less_than),
          }),
      }),
    legacyPrefix,
  );
}

/** A live `Filter` (lifecycle or replication rule) in normal form; `legacyPrefix` is the rule's `Prefix`. */
export function filterFromApi(filter: Raw | undefined, legacyPrefix: unknown): unknown {
  const and = filter?.And as Raw | undefined;
  const tag = filter?.Tag as Raw | undefined;
  return normalFilter(
    filter &&
      defined({
        Prefix: filter.Prefix,
        Tag: tag && { Key: String(tag.Key), Value: String(tag.Value) },
        ObjectSizeGreaterThan: filter.ObjectSizeGreaterThan,
        ObjectSizeLessThan: filter.ObjectSizeLessThan,
        And:
          and &&
          defined({
            Prefix: and.Prefix === "" ? undefined : and.Prefix,
            Tags: normalTags(and.Tags),
            ObjectSizeGreaterThan: num(and.ObjectSizeGreaterThan),
            ObjectSizeLessThan: num(and.ObjectSizeLessThan),
          }),
      }),
    legacyPrefix,
  );
}

/** One declared rule (Terraform arguments, references already resolved) in normal form. */
export function lifecycleRuleFromTerraform(rule: Raw): NormalLifecycleRule {
  const expiration = jsonBlock(rule.expiration);
  const noncurrentExpiration = jsonBlock(rule.noncurrent_version_expiration);
  const abort = jsonBlock(rule.abort_incomplete_multipart_upload);
  return defined({
    ID: String(rule.id ?? ""),
    Status: rule.status,
    Filter: filterFromTerraform(rule.filter, rule.prefix),
    Expiration:
      expiration &&
      empty(
        defined({
          Days: num(expiration.days),
          Date: iso(expiration.date),
          ExpiredObjectDeleteMarker: expiration.expired_object_delete_marker === true ? true : undefined,
        }),
      ),
    Transitions:
      jsonBlocks(rule.transition).length === 0
        ? undefined
        : jsonBlocks(rule.transition)
            .map((t) => defined({ Days: num(t.days), Date: iso(t.date), StorageClass: t.storage_class }))
            .sort(byDaysThenClass),
    NoncurrentVersionTransitions:
      jsonBlocks(rule.noncurrent_version_transition).length === 0
        ? undefined
        : jsonBlocks(rule.noncurrent_version_transition)
            .map((t) =>
              defined({
                NoncurrentDays: num(t.noncurrent_days),
                StorageClass: t.storage_class,
                NewerNoncurrentVersions: num(t.newer_noncurrent_versions),
              }),
            )
            .sort(byDaysThenClass),
    NoncurrentVersionExpiration:
      noncurrentExpiration &&
      empty(
        defined({
          NoncurrentDays: num(noncurrentExpiration.noncurrent_days),
          NewerNoncurrentVersions: num(noncurrentExpiration.newer_noncurrent_versions),
        }),
      ),
    AbortIncompleteMultipartUpload: abort && empty(defined({ DaysAfterInitiation: num(abort.days_after_initiation) })),
  });
}

/** One live rule (`GetBucketLifecycleConfiguration`) in normal form. */
export function lifecycleRuleFromApi(rule: LifecycleRule): NormalLifecycleRule {
  const expiration = rule.Expiration;
  return defined({
    ID: rule.ID ?? "",
    Status: rule.Status,
    Filter: filterFromApi(rule.Filter as Raw | undefined, rule.Prefix),
    Expiration:
      expiration &&
      empty(
        defined({
          Days: num(expiration.Days),
          Date: iso(expiration.Date),
          ExpiredObjectDeleteMarker: expiration.ExpiredObjectDeleteMarker === true ? true : undefined,
        }),
      ),
    Transitions: rule.Transitions?.length
      ? rule.Transitions.map((t) =>
          defined({ Days: num(t.Days), Date: iso(t.Date), StorageClass: t.StorageClass }),
        ).sort(byDaysThenClass)
      : undefined,
    NoncurrentVersionTransitions: rule.NoncurrentVersionTransitions?.length
      ? rule.NoncurrentVersionTransitions.map((t) =>
          defined({
            NoncurrentDays: num(t.NoncurrentDays),
            StorageClass: t.StorageClass,
            NewerNoncurrentVersions: num(t.NewerNoncurrentVersions),
          }),
        ).sort(byDaysThenClass)
      : undefined,
    NoncurrentVersionExpiration:
      rule.NoncurrentVersionExpiration &&
      empty(
        defined({
          NoncurrentDays: num(rule.NoncurrentVersionExpiration.NoncurrentDays),
          NewerNoncurrentVersions: num(rule.NoncurrentVersionExpiration.NewerNoncurrentVersions),
        }),
      ),
    AbortIncompleteMultipartUpload:
      rule.AbortIncompleteMultipartUpload &&
      empty(defined({ DaysAfterInitiation: num(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation) })),
  });
}

/** A rule for the table, without its ID (the ID is in the check name). */
function describeLifecycleRule(rule: NormalLifecycleRule): string {
  const { ID: _id, ...rest } = rule;
  void _id;
  return compact(rest);
}

/** One line of a lifecycle comparison. */
export interface RuleComparison {
  readonly id: string;
  readonly expected: string;
  readonly found: string;
  readonly pass: boolean;
}

/**
 * Compares rule sets by ID: every declared rule gets a line (found, different, or missing), and
 * so does every live rule nobody declared.
 */
export function compareLifecycleRules(
  declared: readonly NormalLifecycleRule[],
  live: readonly NormalLifecycleRule[],
): RuleComparison[] {
  const remaining = [...live];
  const lines: RuleComparison[] = declared.map((rule) => {
    const at = remaining.findIndex((candidate) => candidate.ID === rule.ID);
    const match = at < 0 ? undefined : remaining.splice(at, 1)[0];
    const expected = describeLifecycleRule(rule);
    const found = match === undefined ? "(no such rule)" : describeLifecycleRule(match);
    return { id: rule.ID, expected, found, pass: match !== undefined && compact(match) === compact(rule) };
  });
  for (const extra of remaining) {
    lines.push({ id: extra.ID, expected: "(not declared)", found: describeLifecycleRule(extra), pass: false });
  }
  return lines;
}

/**
 * The bucket's lifecycle rules as declared (`aws_s3_bucket_lifecycle_configuration`) and as S3
 * returns them, one row per rule; plus the transition minimum object size when declared.
 */
export async function checkLifecycle(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const declaredResource = ctx.declaration.oneForBucket("aws_s3_bucket_lifecycle_configuration", bucket.name);
  const declared = declaredResource
    ? jsonBlocks(ctx.declaration.resolved(declaredResource, "rule")).map(lifecycleRuleFromTerraform)
    : [];
  const live = await callAws(() =>
    ctx.clients.s3(bucket.region).send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket.name })),
  );
  if (!live.ok && live.code !== "NoSuchLifecycleConfiguration") {
    return [
      checkRow(
        "lifecycle rules",
        bucket.name,
        declared.length === 0 ? "(none)" : `${declared.length} rule(s)`,
        live.error,
        false,
      ),
    ];
  }
  const liveRules = live.ok ? (live.value.Rules ?? []).map(lifecycleRuleFromApi) : [];
  if (declared.length === 0 && liveRules.length === 0) {
    return [checkRow("lifecycle rules", bucket.name, "(none)", "(none)")];
  }
  const rows = compareLifecycleRules(declared, liveRules).map((line) =>
    checkRow(`lifecycle rule ${line.id}`, bucket.name, line.expected, line.found, line.pass),
  );
  const minimumSize = declaredResource?.config.transition_default_minimum_object_size;
  if (minimumSize !== undefined) {
    rows.push(
      checkRow(
        "lifecycle transition minimum object size",
        bucket.name,
        String(ctx.declaration.resolved(declaredResource!, "transition_default_minimum_object_size")),
        live.ok ? (live.value.TransitionDefaultMinimumObjectSize ?? NOT_SET) : NOT_SET,
      ),
    );
  }
  return rows;
}
