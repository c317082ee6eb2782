/**
 * The one comparison of the verifier: a declared resource (its Terraform arguments, references
 * resolved) against the live one as its reader returns it, in the same shape. It walks the
 * declared attributes and reports every leaf that differs, with a readable path.
 *
 * - Only declared top-level attributes are compared: a live attribute the stack does not
 *   declare holds the provider's default, which is not drift. Inside a declared block, a live
 *   member the block does not declare is drift unless it is empty (absent, "", false, 0, [] or
 *   {}, the defaults S3 and IAM fill in).
 * - A block given as a list of one (`filter: [{}]`) and as an object are the same block (unless
 *   it is keyed, see below).
 * - Lists of blocks are keyed by `id` (lifecycle and replication rules) or `Sid` (policy
 *   statements), else by position (`#1`), so a path reads `rule.replicate-everything.destination.storage_class`.
 *   A live element whose key is not declared is drift, expected NOT_DECLARED.
 * - `policy` and `assume_role_policy` hold policy JSON: compared through the one policy model
 *   (`common/policy.ts`), statement by statement keyed by Sid.
 * - A difference that a tolerance explains (an emulator difference, passed in by the caller)
 *   is reported once, at the node the tolerance names, marked as tolerated.
 * Equivalences the provider treats as equal belong in the readers, not here.
 */
import { isRecord } from "../../common/json";
import { canonicalText, normalizePolicy } from "../../common/policy";
import type { EmulatorDifference } from "../emulator/differences";
import { NOT_DECLARED, NOT_SET } from "./row";

/** One differing path. */
export interface Difference {
  /** The path as parts: attribute names and list element keys. */
  readonly segments: readonly string[];
  readonly expected: string;
  readonly found: string;
  /** The emulator difference that explains it, when one does. */
  readonly tolerated?: EmulatorDifference;
  /** True when the live side has something the stack does not declare. */
  readonly undeclared?: boolean;
}

/** What one comparison found: how many leaves it compared, and where they differ. */
export interface Comparison {
  readonly compared: number;
  readonly differences: readonly Difference[];
}

/** Decides whether the live value at a path is a known difference; undefined when not. */
export type Tolerance = (segments: readonly string[], live: unknown) => EmulatorDifference | undefined;

/** Attributes that hold IAM policy JSON. */
const POLICY_ATTRIBUTES = new Set(["policy", "assume_role_policy"]);

// Unquoted when unambiguous: no separators, no leading or trailing space.
const PLAIN = /^[^\s,=[\]{}"](?:[^,=[\]{}"]*[^\s,=[\]{}"])?$/;

/** A value for a row: strings as they are, lists `[a, b]`, blocks `{key=value, …}` with keys sorted. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return NOT_SET;
  if (typeof value === "string") return value === "" || PLAIN.test(value) ? value || '""' : JSON.stringify(value);
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  const keys = Object.keys(value as Record<string, unknown>).sort();
  return `{${keys.map((k) => `${k}=${show((value as Record<string, unknown>)[k])}`).join(", ")}}`;
}

/** The provider's empty values: what S3 and IAM return for a member nobody set. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).every((k) => isEmpty(value[k]));
}

/** A list of one block is that block, unless the block is keyed (a rule with an `id`, a statement with a `Sid`). */
function single(value: unknown): unknown {
  const only = Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  return isRecord(only) && elementKey(only, 0) === "#1" ? only : value;
}

function sameLeaf(declared: unknown, live: unknown): boolean {
  if (isEmpty(declared) && isEmpty(live)) return true;
  if (typeof declared !== "object" && typeof live !== "object") return String(declared) === String(live);
  return canonicalText(declared) === canonicalText(live);
}

/** The key of each element of a list of blocks: its `id`, its `Sid`, else `#<position>`. */
function elementKey(element: Record<string, unknown>, index: number): string {
  if (typeof element.id === "string" && element.id !== "") return element.id;
  if (typeof element.Sid === "string" && element.Sid !== "") return element.Sid;
  return `#${index + 1}`;
}

class Walk {
  compared = 0;

  constructor(private readonly tolerance?: Tolerance) {}

  node(declared: unknown, live: unknown, segments: string[], out: Difference[]): void {
    const inner: Difference[] = [];
    this.compareNode(declared, live, segments, inner);
    const tolerated = inner.length > 0 && segments.length > 0 ? this.tolerance?.(segments, live) : undefined;
    if (tolerated === undefined) out.push(...inner);
    else out.push({ segments, expected: show(declared), found: show(live), tolerated });
  }

  private compareNode(declared: unknown, live: unknown, segments: string[], out: Difference[]): void {
    const name = segments[segments.length - 1];
    if (segments.length === 1 && POLICY_ATTRIBUTES.has(name) && typeof declared === "string") {
      this.policy(declared, live, segments, out);
      return;
    }
    const d = single(declared);
    const l = single(live);
    if (isRecord(d) && (isRecord(l) || isEmpty(l))) this.block(d, isRecord(l) ? l : {}, segments, out);
    else if (Array.isArray(d) && d.length > 0 && d.every(isRecord)) this.list(d, l, segments, out);
    else {
      this.compared += 1;
      if (!sameLeaf(d, l)) out.push({ segments, expected: show(d), found: show(l) });
    }
  }

  block(declared: Record<string, unknown>, live: Record<string, unknown>, segments: string[], out: Difference[]) {
    const top = segments.length === 0;
    const keys = new Set([...Object.keys(declared), ...(top ? [] : Object.keys(live))]);
    for (const key of [...keys].sort()) {
      if (declared[key] === undefined) {
        if (!isEmpty(live[key]))
          out.push({ segments: [...segments, key], expected: NOT_DECLARED, found: show(live[key]), undeclared: true });
      } else this.node(declared[key], live[key], [...segments, key], out);
    }
  }

  private list(declared: Record<string, unknown>[], live: unknown, segments: string[], out: Difference[]): void {
    const liveList = (Array.isArray(live) ? live : isEmpty(live) ? [] : [live]).filter(isRecord);
    const liveByKey = new Map(liveList.map((element, i) => [elementKey(element, i), element]));
    declared.forEach((element, i) => {
      const key = elementKey(element, i);
      const match = liveByKey.get(key);
      liveByKey.delete(key);
      if (match === undefined) out.push({ segments: [...segments, key], expected: show(element), found: NOT_SET });
      else this.node(element, match, [...segments, key], out);
    });
    for (const [key, element] of liveByKey) {
      out.push({ segments: [...segments, key], expected: NOT_DECLARED, found: show(element), undeclared: true });
    }
  }

  private policy(declared: string, live: unknown, segments: string[], out: Difference[]): void {
    const asBlock = (text: unknown) => {
      const policy = normalizePolicy(text);
      return { Version: policy.Version, Id: policy.Id, statement: policy.Statement };
    };
    let found: Record<string, unknown> | string = NOT_SET;
    try {
      if (!isEmpty(live)) found = asBlock(live);
    } catch (error) {
      found = (error as Error).message;
    }
    if (typeof found !== "string") return this.block(asBlock(declared), found, segments, out);
    this.compared += 1;
    out.push({ segments, expected: "a policy document", found });
  }
}

/** Compares the declared attributes of a resource with the live ones (same shape); `tolerance` explains known differences. */
export function compareAttributes(
  declared: Record<string, unknown>,
  live: Record<string, unknown>,
  tolerance?: Tolerance,
): Comparison {
  const walk = new Walk(tolerance);
  const differences: Difference[] = [];
  walk.block(declared, live, [], differences);
  return { compared: walk.compared, differences };
}
