/**
 * THE list of known differences between the moto emulator and AWS that show up in a re-plan,
 * and the filter that tolerates exactly them. Each entry names one resource type, one attribute
 * path and the value moto reads back; a change is tolerated only when every attribute it touches
 * lies under a listed path AND the live value there is the one moto is known to return. Anything
 * else (another attribute, another resource, a create, a delete, an output) is reported.
 *
 * The stack keeps declaring the real values and the unit tests on the synthesized JSON keep
 * requiring them: this list excuses the emulator, never the configuration. See EMULATOR.md.
 */
import { ChangeAction, PlanJson, ResourceChange, formatPath, isNoOp } from "./plan-json";

/** One known difference. */
export interface EmulatorDifference {
  /** Stable id, used by the verifier's checks and the reports. */
  readonly id: EmulatorDifferenceId;
  /**
   * `read-back`: the emulator stores or returns a setting differently, so it shows in what the
   * verifier reads and in a re-plan after apply; `enforcement`: the setting reads back as
   * declared but the emulator acts on it differently (no re-plan difference, never tolerated
   * by the re-plan check).
   */
  readonly kind: "read-back" | "enforcement";
  /** The resource type, e.g. `aws_s3_bucket_replication_configuration`. */
  readonly resourceType: string;
  /** Attribute path under which re-plan changes are tolerated; `"*"` matches any list index. */
  readonly path: readonly (string | number)[];
  /** The value(s) moto reads back at `path` (the plan's `before`): anything else is a real drift. */
  readonly readsBack: readonly unknown[];
  /**
   * The value the verifier reads from the emulator for this attribute, as rendered in a check
   * row's `found` column; absent when a procedure handles the difference (see `handling`).
   */
  readonly emulatorValue?: string;
  /** What moto does, for reports and the README. */
  readonly behaviour: string;
  /** What the runner and the verifier do about it. */
  readonly handling: string;
}

/** The ids of {@link EMULATOR_DIFFERENCES}. */
export type EmulatorDifferenceId =
  | "replication-delete-marker-status"
  | "replication-source-selection-criteria"
  | "bucket-policy-conditions-ignored";

/** How the verifier renders an attribute the API did not return. */
export const NOT_RETURNED = "(not set)";

/** Known differences of moto 5.2 with AWS provider 5.100 (measured; recheck on upgrades). */
export const EMULATOR_DIFFERENCES: readonly EmulatorDifference[] = [
  {
    id: "replication-delete-marker-status",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    path: ["rule", "*", "delete_marker_replication"],
    readsBack: [[{ status: "Disabled" }]],
    emulatorValue: "Disabled",
    behaviour: "moto reads DeleteMarkerReplication back as Disabled whatever was set",
    handling: "the verifier's row expects the declared status and passes on the emulator only when it reads back "
      + "exactly Disabled; the re-plan tolerates this attribute only with that value",
  },
  {
    id: "replication-source-selection-criteria",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    path: ["rule", "*", "source_selection_criteria"],
    readsBack: [[], null],
    emulatorValue: NOT_RETURNED,
    behaviour: "moto does not return SourceSelectionCriteria (SSE-KMS objects selection)",
    handling: "the verifier's row expects the declared criteria and passes on the emulator only when none is "
      + "returned; the re-plan tolerates this attribute only when it reads back empty",
  },
  {
    id: "bucket-policy-conditions-ignored",
    kind: "enforcement",
    resourceType: "aws_s3_bucket_policy",
    path: ["policy"],
    readsBack: [],
    behaviour: "moto enforces bucket-policy statements with principal * but ignores their conditions, "
      + "so the TLS-only deny refuses every object GET and PUT",
    handling: "on the emulator only, the object round trip lifts the primary bucket's policy and puts the "
      + "identical document back in a finally block, then checks it reads back equal",
  },
];

/** A change the list does not explain. */
export interface UnexplainedChange {
  /** Resource address, or `output.<name>`. */
  readonly address: string;
  readonly actions: readonly ChangeAction[];
  /** Attribute paths changed (updates only), e.g. `rule[0].status`. */
  readonly paths: readonly string[];
  /** One sentence: what changes and why it is not tolerated. */
  readonly reason: string;
}

/** A change fully explained by the list. */
export interface ToleratedChange {
  readonly address: string;
  /** The changed attribute paths. */
  readonly paths: readonly string[];
  /** The entries that explain them. */
  readonly differences: readonly EmulatorDifference[];
}

/** The re-plan, split into what the list explains and what it does not. */
export interface ReplanVerdict {
  readonly unexplained: readonly UnexplainedChange[];
  readonly tolerated: readonly ToleratedChange[];
}

type Path = (string | number)[];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The attribute paths at which `before` and `after` differ, as deep as both sides have the same
 * shape: a list whose length changes is reported at the list, not at its elements. A value
 * unknown until apply (`after_unknown` true) counts as changed.
 */
export function changedPaths(before: unknown, after: unknown, afterUnknown: unknown = undefined, path: Path = []): Path[] {
  if (afterUnknown === true) return [path];
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => changedPaths(b, after[i], Array.isArray(afterUnknown) ? afterUnknown[i] : undefined, [...path, i]));
  }
  if (isObject(before) && isObject(after)) {
    // An attribute unknown until apply is left out of `after`: take the keys of all three.
    const unknownKeys = isObject(afterUnknown) ? Object.keys(afterUnknown) : [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...unknownKeys])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], isObject(afterUnknown) ? afterUnknown[k] : undefined, [...path, k]));
  }
  return deepEqual(before, after) ? [] : [path];
}

function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === "number") node = node[part];
    else if (isObject(node) && typeof part === "string") node = node[part];
    else return undefined;
  }
  return node;
}

/** The entry that explains a change at `path` of `change`, if any. */
function explaining(change: ResourceChange, path: Path, differences: readonly EmulatorDifference[]): EmulatorDifference | undefined {
  return differences.find((d) => {
    if (d.resourceType !== change.type || path.length < d.path.length) return false;
    const matches = d.path.every((part, i) => (part === "*" ? typeof path[i] === "number" : part === path[i]));
    if (!matches) return false;
    const live = valueAt(change.change.before, path.slice(0, d.path.length));
    return d.readsBack.some((v) => deepEqual(v, live));
  });
}

/**
 * Splits a re-plan (`terraform show -json` of a plan made right after apply) into the changes
 * the list of emulator differences explains and those it does not. The re-plan check passes
 * when `unexplained` is empty.
 */
export function classifyReplan(plan: PlanJson, differences: readonly EmulatorDifference[] = EMULATOR_DIFFERENCES): ReplanVerdict {
  const unexplained: UnexplainedChange[] = [];
  const tolerated: ToleratedChange[] = [];
  const readBack = differences.filter((d) => d.kind === "read-back");
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change.actions;
    if (isNoOp(actions)) continue;
    if (actions.length !== 1 || actions[0] !== "update") {
      unexplained.push({ address: change.address, actions, paths: [],
        reason: `${actions.join(" then ")} is planned; only in-place updates of listed emulator differences are tolerated` });
      continue;
    }
    const paths = changedPaths(change.change.before, change.change.after, change.change.after_unknown);
    const rendered = paths.map(formatPath);
    const explained = paths.map((p) => explaining(change, p, readBack));
    const notExplained = rendered.filter((_, i) => explained[i] === undefined);
    if (paths.length > 0 && notExplained.length === 0) {
      tolerated.push({ address: change.address, paths: rendered,
        differences: [...new Set(explained as EmulatorDifference[])] });
    } else {
      unexplained.push({ address: change.address, actions, paths: notExplained.length > 0 ? notExplained : rendered,
        reason: notExplained.length > 0
          ? `update of ${notExplained.join(", ")}, not a listed emulator difference`
          : "update with no attribute difference in the plan (a change Terraform hides, e.g. a sensitive value)" });
    }
  }
  for (const [name, output] of Object.entries(plan.output_changes ?? {})) {
    if (isNoOp(output.actions)) continue;
    unexplained.push({ address: `output.${name}`, actions: output.actions, paths: [],
      reason: `output ${name} would change (${JSON.stringify(output.before)} → ${JSON.stringify(output.after)})` });
  }
  return { unexplained, tolerated };
}
