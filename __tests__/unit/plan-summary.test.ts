import { parsePlanJson } from "../../src/ops/plan/plan-json";
import { describeChanges, plannedAction, renderPlanSummary, summarizePlan } from "../../src/ops/plan/summary";
import { planStackDir } from "../../src/ops/pipeline/plan-folder";
import { main as apply } from "../../src/cli/apply";
import { main as plan } from "../../src/cli/plan";
import { captureOutput } from "./helpers/captured-output";

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

describe("describeChanges", () => {
  it("says what a plan changes in a few words, in a fixed order, and nothing for an empty plan", () => {
    const summary = summarizePlan(
      parsePlanJson({
        format_version: "1.2",
        resource_changes: [
          change("aws_s3_bucket_policy.a", ["update"]),
          change("aws_s3_bucket.b", ["create"]),
          change("aws_s3_bucket.c", ["create"]),
        ],
      }),
    );
    expect(describeChanges(summary)).toBe("2 to create, 1 to update");
    expect(describeChanges(summarizePlan(parsePlanJson({ format_version: "1.2", resource_changes: [] })))).toBe(
      "no changes",
    );
  });
});

describe("npm run plan and npm run apply, before they touch anything", () => {
  const output = captureOutput();

  it("find the synthesized stack inside the plan folder", () => {
    expect(planStackDir("/w/.plan")).toBe("/w/.plan/out/stacks/site-storage");
  });

  it("print their usage and exit 0 on --help", async () => {
    expect(await plan(["--help"])).toBe(0);
    expect(await apply(["-h"])).toBe(0);
    expect(output.stdout()).toMatch(/Usage: npm run plan[\s\S]*Usage: npm run apply/);
  });

  it("refuse an unknown flag or a --dir without a folder with exit 2 and the usage", async () => {
    expect(await plan(["--yes"])).toBe(2);
    expect(await apply(["--allow-destroy"])).toBe(2);
    expect(await apply(["--dir"])).toBe(2);
    const text = output.stderr();
    expect(text).toMatch(/plan: Unknown option '--yes'/);
    expect(text).toMatch(/apply: Option '--dir <value>' argument missing/);
  });

  it("apply says there is no saved plan, and exits 1, when the folder holds none", async () => {
    expect(await apply(["--dir", "/nonexistent/plan-folder"])).toBe(1);
    expect(output.stderr()).toMatch(/no saved plan at \/nonexistent\/plan-folder\/tfplan/);
  });
});
