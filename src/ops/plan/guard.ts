/**
 * The plan guard: reads a saved plan (`terraform show -json <planfile>`) and lists every change
 * that would delete data or the means to read it: a bucket, a KMS key, a replication or default
 * encryption configuration deleted or replaced. Terraform's own `prevent_destroy` (protectData)
 * stops such a plan before it exists; the guard is the second line, for deployments where
 * protection was turned off, and it says which resource and why.
 */
import { valueAt } from "../../common/json";
import { PlanJson, ResourceChange, deletes, formatPath, replaces } from "./plan-json";

/**
 * Resource types whose deletion loses data or access to it: objects (bucket), every object
 * encrypted under it (key), the copy in the other region (replication), the guarantee that
 * new objects are encrypted (encryption).
 */
const PROTECTED_RESOURCE_TYPES: readonly string[] = [
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_s3_bucket_replication_configuration",
  "aws_s3_bucket_server_side_encryption_configuration",
];

/** One protected resource the plan would delete or replace. */
export interface GuardFinding {
  readonly address: string;
  readonly type: string;
  /** "delete" or "replace". */
  readonly kind: "delete" | "replace";
  /** Why, in words: Terraform's action reason and the attributes that force it, with values. */
  readonly reason: string;
}

/** The guard's verdict. */
export interface GuardResult {
  /** True when the plan may be applied: no finding, or findings explicitly allowed. */
  readonly ok: boolean;
  readonly findings: readonly GuardFinding[];
  /** Whether --allow-destroy was given. */
  readonly allowed: boolean;
}

/** Terraform's `action_reason` values, as sentences. */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_cannot_update: "an attribute that cannot change in place changes",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "a replace_triggered_by reference changed",
  delete_because_no_resource_config: "it is no longer in the configuration (renamed or removed)",
  delete_because_no_module: "its module is no longer in the configuration",
  delete_because_wrong_repetition: "its count/for_each changed shape",
  delete_because_count_index: "its count index is out of range",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_move_target: "its moved block has no target",
};

function show(value: unknown): string {
  return value === undefined ? "(unknown until apply)" : JSON.stringify(value);
}

/** The reason of one finding: action reason, then each forcing attribute `path: before → after`. */
function findingReason(change: ResourceChange): string {
  const why =
    change.action_reason === undefined
      ? replaces(change.change.actions)
        ? "it must be replaced"
        : "it is planned for deletion"
      : (ACTION_REASONS[change.action_reason] ?? change.action_reason);
  const forced = (change.change.replace_paths ?? []).map(
    (path) =>
      `${formatPath(path)}: ${show(valueAt(change.change.before, path))} → ${show(valueAt(change.change.after, path))}`,
  );
  return forced.length === 0 ? why : `${why} (${forced.join("; ")})`;
}

/**
 * Every protected resource the plan deletes or replaces. `allowDestroy` (the explicit flag)
 * lets the plan pass; the findings are still listed so nobody applies them unaware.
 */
export function guardPlan(plan: PlanJson, options: { allowDestroy?: boolean } = {}): GuardResult {
  const findings: GuardFinding[] = (plan.resource_changes ?? [])
    .filter((c) => c.mode === "managed" && PROTECTED_RESOURCE_TYPES.includes(c.type) && deletes(c.change.actions))
    .map((c) => ({
      address: c.address,
      type: c.type,
      kind: replaces(c.change.actions) ? ("replace" as const) : ("delete" as const),
      reason: findingReason(c),
    }));
  const allowed = options.allowDestroy ?? false;
  return { ok: findings.length === 0 || allowed, findings, allowed };
}

/** The verdict as lines for a terminal: one per finding, then what to do. */
export function formatGuardResult(result: GuardResult): string {
  if (result.findings.length === 0) {
    return "Plan guard: passed. No bucket, KMS key, replication or encryption configuration is deleted or replaced.";
  }
  const lines = result.findings.map((f) => `  - ${f.kind.toUpperCase()} ${f.address}: ${f.reason}`);
  const head = result.allowed
    ? `Plan guard: ${result.findings.length} protected resource(s) will be deleted or replaced, allowed by --allow-destroy:`
    : `Plan guard: REFUSED. ${result.findings.length} protected resource(s) would be deleted or replaced:`;
  const tail = result.allowed
    ? []
    : [
        "Data in these buckets, or encrypted under these keys, would be lost. Change the configuration back",
        "(a renamed project or region renames the buckets and keys), or pass --allow-destroy if this is intended.",
      ];
  return [head, ...lines, ...tail].join("\n");
}
