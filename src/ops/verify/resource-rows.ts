/**
 * One declared resource, verified: its reader reads it back, the one comparison reports every
 * differing path, and what the stack does not declare around it is drift. The emulator's known
 * differences come in as data (empty on AWS).
 */
import { deepEqual } from "../../common/json";
import type { EmulatorDifference } from "../emulator/differences";
import { callAws } from "../aws-call";
import { Tolerance, compareAttributes, isEmpty } from "./compare";
import type { VerifyContext } from "./context";
import type { DeclaredResource } from "./declaration";
import type { ReadTarget, ResourceReader } from "./readers/reader";
import { RowStatus, VerifyRow } from "./row";

/** Terraform's meta-arguments: how to manage a resource, not what it is. */
const META_ARGUMENTS = new Set([
  "provider",
  "lifecycle",
  "depends_on",
  "count",
  "for_each",
  "provisioner",
  "connection",
]);

/** True when a pattern path (`"*"` is one list element, or none when the block is single) matches. */
function pathMatches(pattern: readonly (string | number)[], segments: readonly string[]): boolean {
  if (pattern.length === 0) return segments.length === 0;
  const [head, ...rest] = pattern;
  if (head === "*") return pathMatches(rest, segments) || (segments.length > 0 && pathMatches(rest, segments.slice(1)));
  return segments.length > 0 && String(head) === segments[0] && pathMatches(rest, segments.slice(1));
}

/** A value with lists of one unwrapped and empty values as undefined: how readsBack and the reader's value meet. */
function plain(value: unknown): unknown {
  const unwrapped = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return isEmpty(unwrapped) ? undefined : unwrapped;
}

/** The known differences that may explain a difference on a resource of `type`: same path, exact listed value. */
export function toleranceFor(type: string, tolerances: readonly EmulatorDifference[]): Tolerance {
  return (segments, live) =>
    tolerances.find(
      (d) =>
        d.kind === "read-back" &&
        d.resourceType === type &&
        pathMatches(d.path, segments) &&
        d.readsBack.some((value) => deepEqual(plain(value), plain(live))),
    );
}

/** The declared attributes to compare: arguments resolved, tags merged with the providers' default tags. */
function declaredAttributes(ctx: VerifyContext, resource: DeclaredResource, reader: ResourceReader) {
  const { declaration } = ctx;
  const skip = new Set([...META_ARGUMENTS, ...(reader.unreadable ?? [])]);
  const attributes: Record<string, unknown> = {};
  for (const argument of Object.keys(resource.config)) {
    // "//" is cdktf's metadata key (construct path, unique id): a JSON comment to Terraform.
    if (!skip.has(argument) && argument !== "//") attributes[argument] = declaration.resolved(resource, argument);
  }
  if (reader.taggable) {
    const declared = (attributes.tags ?? {}) as Record<string, unknown>;
    delete attributes.tags;
    attributes.tags_all = { ...declaration.defaultTagsOf(resource), ...declared };
  }
  return attributes;
}

/** Reads, compares and looks around one declared resource. */
export async function resourceRows(
  ctx: VerifyContext,
  resource: DeclaredResource,
  reader: ResourceReader,
): Promise<VerifyRow[]> {
  const declared = declaredAttributes(ctx, resource, reader);
  const region = ctx.declaration.regionOf(resource);
  const liveName =
    declared.bucket ?? declared.name ?? ctx.declaration.state.managed(resource.type, resource.name)?.values.id;
  const label = `${resource.type}.${resource.name}${liveName === undefined ? "" : ` (${String(liveName)})`}`;
  const target: ReadTarget = {
    resource,
    region,
    label,
    declared: { ...declared, ...reader.expectations?.({ resource, region, label, declared }) },
  };
  const [live, around] = await Promise.all([
    callAws(() => reader.read(ctx, target)),
    callAws(async () => (reader.undeclared === undefined ? [] : reader.undeclared(ctx, target))),
  ]);
  const row = (path: string, expected: string, found: string, status: RowStatus = "fail", note?: string) =>
    ({ resource: label, path, expected, found, status, ...(note === undefined ? {} : { note }) }) satisfies VerifyRow;
  const rows: VerifyRow[] = [];
  if (!live.ok) rows.push(row("", "readable", live.error));
  else if (live.value === undefined) rows.push(row("", "exists, as declared", "(missing)"));
  else {
    const tolerance = toleranceFor(resource.type, ctx.tolerances);
    const { compared, differences } = compareAttributes(target.declared, live.value, tolerance);
    if (differences.length === 0) rows.push(row("", `as declared (${compared} attributes)`, "as declared", "pass"));
    for (const d of differences) {
      const known = d.tolerated && `known emulator difference: ${d.tolerated.behaviour}`;
      const note = known || (d.undeclared ? "not declared" : undefined);
      rows.push(row(d.segments.join("."), d.expected, d.found, d.tolerated ? "tolerated" : "fail", note));
    }
  }
  if (!around.ok) rows.push(row("what is not declared", "readable", around.error));
  else rows.push(...around.value);
  return rows;
}
