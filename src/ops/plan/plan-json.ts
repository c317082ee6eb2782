/**
 * The parts of Terraform's JSON plan representation (`terraform show -json <planfile>`) that the
 * plan guard and the re-plan check read, and a parser that rejects anything else early.
 * https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
import { isRecord } from "../../common/json";

/** One action of a change. A replacement is ["delete", "create"] or ["create", "delete"]. */
export type ChangeAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** A change to one resource instance. */
export interface ResourceChange {
  /** e.g. `aws_s3_bucket.primary-bucket_D87EC2E7`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly ChangeAction[];
    readonly before: unknown;
    readonly after: unknown;
    /** Mirrors `after`: `true` where a value is known only after apply. */
    readonly after_unknown?: unknown;
    /** Attribute paths that force the replacement. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  /** Why Terraform chose this action, e.g. `replace_because_cannot_update`. */
  readonly action_reason?: string;
}

/** A change to one output value. */
export interface OutputChange {
  readonly actions: readonly ChangeAction[];
  readonly before: unknown;
  readonly after: unknown;
}

/** A saved plan as `terraform show -json` renders it. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
}

/** The input is not a `terraform show -json` plan. */
export class PlanFormatError extends Error {
  constructor(source: string, why: string) {
    super(`${source} is not the JSON of a saved Terraform plan (terraform show -json <planfile>): ${why}`);
    this.name = "PlanFormatError";
  }
}

/** Checks the shape just enough to trust the fields above; `source` names the input in errors. */
export function parsePlanJson(value: unknown, source = "the input"): PlanJson {
  if (!isRecord(value)) throw new PlanFormatError(source, "expected a JSON object");
  const plan = value;
  if (typeof plan.format_version !== "string") throw new PlanFormatError(source, "it has no format_version");
  if (!("planned_values" in plan) && !("resource_changes" in plan)) {
    // `terraform show -json` without a plan file prints the state, which has no changes at all.
    throw new PlanFormatError(source, "it has neither planned_values nor resource_changes (is it a state?)");
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new PlanFormatError(source, "resource_changes is not a list");
  }
  for (const change of (plan.resource_changes ?? []) as unknown[]) {
    const c = change as Partial<ResourceChange> | null;
    if (typeof c?.address !== "string" || typeof c.type !== "string" || !Array.isArray(c.change?.actions)) {
      throw new PlanFormatError(
        source,
        `a resource change lacks address, type or change.actions: ${JSON.stringify(change).slice(0, 200)}`,
      );
    }
  }
  return plan as unknown as PlanJson;
}

/** Whether the actions delete the existing object (a plain delete or either kind of replace). */
export function deletes(actions: readonly ChangeAction[]): boolean {
  return actions.includes("delete");
}

/** Whether the actions are a replacement (delete and create, in either order). */
export function replaces(actions: readonly ChangeAction[]): boolean {
  return actions.includes("delete") && actions.includes("create");
}

/** Whether the change does anything at all. */
export function isNoOp(actions: readonly ChangeAction[]): boolean {
  return actions.length === 0 || actions.every((a) => a === "no-op");
}

/** Renders an attribute path as Terraform prints it: `rule[0].destination[0].bucket`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}
