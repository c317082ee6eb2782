import { parsePlanJson } from "../../src/local/plan-json";
import { plannedAction, renderPlanSummary, summarizePlan } from "../../src/cli/plan-summary";
import { parsePlanArgs, stackDirIn } from "../../src/cli/plan-files";

function change(address: string, actions: string[], mode = "managed") {
  const [type, name] = address.split(".");
  return { address, mode, type, name, change: { actions, before: null, after: null } };
}

describe("the plan summary", () => {
  it("names each of Terraform's action lists as one action", () => {
    expect(plannedAction(["create"])).toBe("create");
    expect(plannedAction(["update"])).toBe("update");
    expect(plannedAction(["delete", "create"])).toBe("replace");
    expect(plannedAction(["create", "delete"])).toBe("replace");
    expect(plannedAction(["delete"])).toBe("delete");
    expect(plannedAction(["read"])).toBe("read");
    expect(plannedAction(["no-op"])).toBe("no-op");
  });

  it("counts managed resources by action and lists the changed ones, ignoring data sources", () => {
    const plan = parsePlanJson({
      format_version: "1.2",
      resource_changes: [
        change("aws_s3_bucket.site", ["delete", "create"]),
        change("aws_kms_key.key", ["no-op"]),
        change("aws_s3_bucket_policy.site", ["update"]),
        change("aws_iam_role.replication", ["create"]),
        change("aws_s3_bucket_logging.site", ["delete"]),
        change("data.aws_caller_identity.me", ["read"], "data"),
      ],
    });
    const summary = summarizePlan(plan);
    expect(summary.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 1, read: 0, "no-op": 1 });
    expect(summary.changes).toEqual([
      { address: "aws_s3_bucket.site", action: "replace" },
      { address: "aws_s3_bucket_policy.site", action: "update" },
      { address: "aws_iam_role.replication", action: "create" },
      { address: "aws_s3_bucket_logging.site", action: "delete" },
    ]);
    const text = renderPlanSummary(summary, "Plan guard: REFUSED.");
    expect(text).toContain("| 1 | 1 | 1 | 1 | 1 |");
    expect(text).toContain("| replace | `aws_s3_bucket.site` |");
    expect(text).toContain("Plan guard: REFUSED.");
  });

  it("says there is nothing to do for an empty plan", () => {
    const text = renderPlanSummary(summarizePlan(parsePlanJson({ format_version: "1.2", resource_changes: [] })), "ok");
    expect(text).toContain("| 0 | 0 | 0 | 0 | 0 |");
    expect(text).toContain("No changes");
  });
});

describe("the plan and apply arguments", () => {
  it("defaults to the .plan folder and finds the stack inside it", () => {
    expect(parsePlanArgs([], [])).toEqual({ dir: ".plan", flags: new Set() });
    expect(stackDirIn("/w/.plan")).toBe("/w/.plan/out/stacks/site-storage");
  });

  it("takes --dir and the allowed flags, and refuses anything else", () => {
    expect(parsePlanArgs(["--dir", "x", "--allow-destroy"], ["--allow-destroy"])).toEqual({ dir: "x", flags: new Set(["--allow-destroy"]) });
    expect(() => parsePlanArgs(["--allow-destroy"], [])).toThrow("unknown argument --allow-destroy");
    expect(() => parsePlanArgs(["--dir"], [])).toThrow("--dir needs a folder");
  });
});
