import { ChangeAction, PlanJson, deletes, isNoOp, replaces } from "./plan-json";

/** What a plan does to one resource, in the words a reviewer uses. */
export type PlannedAction = "create" | "update" | "replace" | "delete" | "read" | "no-op";

/** Terraform's action list for one resource, as one word. */
export function plannedAction(actions: readonly ChangeAction[]): PlannedAction {
  if (replaces(actions)) return "replace";
  if (deletes(actions)) return "delete";
  if (actions.includes("create")) return "create";
  if (actions.includes("update")) return "update";
  if (actions.includes("read")) return "read";
  if (isNoOp(actions)) return "no-op";
  return "update";
}

/** Resources per action, and each changed resource's address. */
export interface PlanSummary {
  readonly counts: Record<PlannedAction, number>;
  readonly changes: readonly { readonly address: string; readonly action: PlannedAction }[];
}

/** Counts a plan's managed-resource changes by action (data-source reads are not changes). */
export function summarizePlan(plan: PlanJson): PlanSummary {
  const counts: Record<PlannedAction, number> = { create: 0, update: 0, replace: 0, delete: 0, read: 0, "no-op": 0 };
  const changes: { address: string; action: PlannedAction }[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const action = plannedAction(change.change.actions);
    counts[action]++;
    if (action !== "no-op" && action !== "read") changes.push({ address: change.address, action });
  }
  return { counts, changes };
}

/** The changes in a few words: "3 to create, 1 to update", or "no changes". */
export function describeChanges(summary: PlanSummary): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((action) => summary.counts[action] > 0)
    .map((action) => `${summary.counts[action]} to ${action}`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

/** The summary as Markdown, for a terminal and a GitHub job summary alike. */
export function renderPlanSummary(summary: PlanSummary, guardText: string): string {
  const { counts } = summary;
  const lines = [
    "## site-storage plan",
    "",
    "| create | update | replace | delete | unchanged |",
    "|---:|---:|---:|---:|---:|",
    `| ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete} | ${counts["no-op"]} |`,
    "",
  ];
  if (summary.changes.length === 0) {
    lines.push("No changes: the infrastructure matches the configuration.");
  } else {
    lines.push("| action | resource |", "|---|---|");
    for (const change of summary.changes) lines.push(`| ${change.action} | \`${change.address}\` |`);
  }
  lines.push("", "```", guardText, "```", "");
  return lines.join("\n");
}
