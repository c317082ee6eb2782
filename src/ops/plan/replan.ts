/**
 * The re-plan check: a plan made right after apply must change nothing, except what the list of
 * emulator differences explains. A change is tolerated only when every attribute it touches lies
 * under a listed path AND the live value there is the one moto is known to return. Anything else
 * (another attribute, another resource, a create, a delete, an output) is reported.
 */
import { deepEqual, isRecord, valueAt } from "../../common/json";
import type { EmulatorDifference } from "../emulator/differences";
import { ChangeAction, PlanJson, ResourceChange, formatPath, isNoOp } from "./plan-json";

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

/**
 * The attribute paths at which `before` and `after` differ, as deep as both sides have the same
 * shape: a list whose length changes is reported at the list, not at its elements. A value
 * unknown until apply (`after_unknown` true) counts as changed.
 */
export function changedPaths(
  before: unknown,
  after: unknown,
  afterUnknown: unknown = undefined,
  path: Path = [],
): Path[] {
  if (afterUnknown === true) return [path];
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) =>
      changedPaths(b, after[i], Array.isArray(afterUnknown) ? afterUnknown[i] : undefined, [...path, i]),
    );
  }
  if (isRecord(before) && isRecord(after)) {
    // An attribute unknown until apply is left out of `after`: take the keys of all three.
    const unknownKeys = isRecord(afterUnknown) ? Object.keys(afterUnknown) : [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after), ...unknownKeys])].sort();
    return keys.flatMap((k) =>
      changedPaths(before[k], after[k], isRecord(afterUnknown) ? afterUnknown[k] : undefined, [...path, k]),
    );
  }
  return deepEqual(before, after) ? [] : [path];
}

/** The entry that explains a change at `path` of `change`, if any. */
function explaining(
  change: ResourceChange,
  path: Path,
  differences: readonly EmulatorDifference[],
): EmulatorDifference | undefined {
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
 * `differences` (the emulator's, passed in by the caller; empty on AWS) explain and those they
 * do not. The re-plan check passes when `unexplained` is empty.
 */
export function classifyReplan(plan: PlanJson, differences: readonly EmulatorDifference[]): ReplanVerdict {
  const unexplained: UnexplainedChange[] = [];
  const tolerated: ToleratedChange[] = [];
  const readBack = differences.filter((d) => d.kind === "read-back");
  for (const change of plan.resource_changes ?? []) {
    const actions = change.change.actions;
    if (isNoOp(actions)) continue;
    if (actions.length !== 1 || actions[0] !== "update") {
      unexplained.push({
        address: change.address,
        actions,
        paths: [],
        reason: `${actions.join(" then ")} is planned; only in-place updates of listed emulator differences are tolerated`,
      });
      continue;
    }
    const paths = changedPaths(change.change.before, change.change.after, change.change.after_unknown);
    const rendered = paths.map(formatPath);
    const explained = paths.map((p) => explaining(change, p, readBack));
    const notExplained = rendered.filter((_, i) => explained[i] === undefined);
    if (paths.length > 0 && notExplained.length === 0) {
      tolerated.push({
        address: change.address,
        paths: rendered,
        differences: [...new Set(explained as EmulatorDifference[])],
      });
    } else {
      unexplained.push({
        address: change.address,
        actions,
        paths: notExplained.length > 0 ? notExplained : rendered,
        reason:
          notExplained.length > 0
            ? `update of ${notExplained.join(", ")}, not a listed emulator difference`
            : "update with no attribute difference in the plan (a change Terraform hides, e.g. a sensitive value)",
      });
    }
  }
  for (const [name, output] of Object.entries(plan.output_changes ?? {})) {
    if (isNoOp(output.actions)) continue;
    unexplained.push({
      address: `output.${name}`,
      actions: output.actions,
      paths: [],
      reason: `output ${name} would change (${JSON.stringify(output.before)} → ${JSON.stringify(output.after)})`,
    });
  }
  return { unexplained, tolerated };
}
