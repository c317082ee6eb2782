import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { changedPaths, classifyReplan } from "../../src/ops/plan/replan";
import { ChangeAction, PlanJson, ResourceChange } from "../../src/ops/plan/plan-json";

const REPLICATION = "aws_s3_bucket_replication_configuration.replication_configuration_8CE400A3";

/** The replication rule as declared (what the plan wants), trimmed from a measured re-plan. */
function declaredRule(): Record<string, unknown> {
  return {
    delete_marker_replication: [{ status: "Enabled" }],
    destination: [
      {
        bucket: "arn:aws:s3:::portfolio-site-replica-123456789012",
        encryption_configuration: [{ replica_kms_key_id: "arn:aws:kms:us-west-2:123456789012:key/32aac004" }],
        metrics: [],
        replication_time: [],
        storage_class: "STANDARD",
      },
    ],
    filter: [{ and: [], prefix: "", tag: [] }],
    id: "replicate-everything",
    priority: 0,
    source_selection_criteria: [{ replica_modifications: [], sse_kms_encrypted_objects: [{ status: "Enabled" }] }],
    status: "Enabled",
  };
}

/** The same rule as moto reads it back: delete markers Disabled, no source selection criteria. */
function motoRule(): Record<string, unknown> {
  return { ...declaredRule(), delete_marker_replication: [{ status: "Disabled" }], source_selection_criteria: [] };
}

function change(
  address: string,
  type: string,
  actions: ChangeAction[],
  before: unknown,
  after: unknown,
): ResourceChange {
  return {
    address,
    mode: "managed",
    type,
    name: address.split(".")[1],
    change: { actions, before, after, after_unknown: {} },
  };
}

function replicationUpdate(liveRule: Record<string, unknown>, wantedRule = declaredRule()): ResourceChange {
  return change(
    REPLICATION,
    "aws_s3_bucket_replication_configuration",
    ["update"],
    { bucket: "portfolio-site-primary-123456789012", rule: [liveRule] },
    { bucket: "portfolio-site-primary-123456789012", rule: [wantedRule] },
  );
}

function plan(...changes: ResourceChange[]): PlanJson {
  return { format_version: "1.2", resource_changes: changes };
}

describe("classifyReplan", () => {
  it("never tolerates a change to a bucket policy, though moto enforces policies differently", () => {
    const policyChange = change(
      "aws_s3_bucket_policy.primary",
      "aws_s3_bucket_policy",
      ["update"],
      { bucket: "b", policy: "{}" },
      { bucket: "b", policy: '{"Statement":[]}' },
    );
    const verdict = classifyReplan(plan(policyChange), EMULATOR_DIFFERENCES);
    expect(verdict.tolerated).toEqual([]);
    expect(verdict.unexplained.map((u) => u.address)).toEqual(["aws_s3_bucket_policy.primary"]);
  });

  it("tolerates the measured moto re-plan: delete-marker status and source selection criteria", () => {
    const verdict = classifyReplan(plan(replicationUpdate(motoRule())), EMULATOR_DIFFERENCES);
    expect(verdict.unexplained).toEqual([]);
    expect(verdict.tolerated).toHaveLength(1);
    expect(verdict.tolerated[0].address).toBe(REPLICATION);
    expect(verdict.tolerated[0].paths).toEqual([
      "rule[0].delete_marker_replication[0].status",
      "rule[0].source_selection_criteria",
    ]);
  });

  it("passes an empty plan and no-op changes", () => {
    const noop = change("aws_s3_bucket.b", "aws_s3_bucket", ["no-op"], { bucket: "x" }, { bucket: "x" });
    expect(classifyReplan(plan(noop), EMULATOR_DIFFERENCES)).toEqual({ unexplained: [], tolerated: [] });
    expect(classifyReplan({ format_version: "1.2" }, EMULATOR_DIFFERENCES)).toEqual({ unexplained: [], tolerated: [] });
  });

  it("fails on any other attribute of the same resource, even next to tolerated ones", () => {
    const rule = { ...motoRule(), status: "Disabled" };
    const verdict = classifyReplan(plan(replicationUpdate(rule)), EMULATOR_DIFFERENCES);
    expect(verdict.tolerated).toEqual([]);
    expect(verdict.unexplained).toHaveLength(1);
    expect(verdict.unexplained[0].paths).toEqual(["rule[0].status"]);
    expect(verdict.unexplained[0].reason).toMatch(/rule\[0\]\.status, not a listed emulator difference/);
  });

  it("fails on a change of the destination, a sibling of the listed paths", () => {
    const rule = {
      ...motoRule(),
      destination: [{ ...(declaredRule().destination as object[])[0], storage_class: "GLACIER" }],
    };
    const verdict = classifyReplan(plan(replicationUpdate(rule)), EMULATOR_DIFFERENCES);
    expect(verdict.unexplained[0].paths).toEqual(["rule[0].destination[0].storage_class"]);
  });

  it("fails when the live value under a listed path is not the one moto returns (real drift)", () => {
    // On the emulator delete markers read back Disabled; anything else is not the known difference.
    const rule = { ...motoRule(), delete_marker_replication: [{ status: "Bogus" }] };
    const verdict = classifyReplan(plan(replicationUpdate(rule)), EMULATOR_DIFFERENCES);
    expect(verdict.unexplained[0].paths).toEqual(["rule[0].delete_marker_replication[0].status"]);
  });

  it("fails when the number of rules changes (a change above the listed paths)", () => {
    const verdict = classifyReplan(
      plan(
        change(
          REPLICATION,
          "aws_s3_bucket_replication_configuration",
          ["update"],
          { rule: [motoRule()] },
          { rule: [declaredRule(), declaredRule()] },
        ),
      ),
      EMULATOR_DIFFERENCES,
    );
    expect(verdict.unexplained[0].paths).toEqual(["rule"]);
  });

  it("fails on the same attribute path in another resource type", () => {
    const other = change(
      "aws_s3_bucket_lifecycle_configuration.l",
      "aws_s3_bucket_lifecycle_configuration",
      ["update"],
      { rule: [{ delete_marker_replication: [{ status: "Disabled" }] }] },
      { rule: [{ delete_marker_replication: [{ status: "Enabled" }] }] },
    );
    expect(classifyReplan(plan(other), EMULATOR_DIFFERENCES).unexplained.map((u) => u.address)).toEqual([
      "aws_s3_bucket_lifecycle_configuration.l",
    ]);
  });

  it.each<[string, ChangeAction[]]>([
    ["a create", ["create"]],
    ["a delete", ["delete"]],
    ["a replacement", ["delete", "create"]],
    ["a create-before-destroy replacement", ["create", "delete"]],
    ["a deferred data read", ["read"]],
  ])("fails on %s, even of the replication configuration", (_, actions) => {
    const c = replicationUpdate(motoRule());
    const verdict = classifyReplan(plan({ ...c, change: { ...c.change, actions } }), EMULATOR_DIFFERENCES);
    expect(verdict.unexplained).toHaveLength(1);
    expect(verdict.unexplained[0].actions).toEqual(actions);
    expect(verdict.tolerated).toEqual([]);
  });

  it("fails on an update whose value is unknown until apply", () => {
    const c = replicationUpdate(motoRule(), motoRule());
    const verdict = classifyReplan(
      plan({ ...c, change: { ...c.change, after_unknown: { role: true } } }),
      EMULATOR_DIFFERENCES,
    );
    expect(verdict.unexplained[0].paths).toEqual(["role"]);
  });

  it("fails on an update that shows no attribute difference", () => {
    const verdict = classifyReplan(plan(replicationUpdate(declaredRule())), EMULATOR_DIFFERENCES);
    expect(verdict.unexplained[0].reason).toMatch(/no attribute difference/);
  });

  it("fails on a changed output", () => {
    const verdict = classifyReplan(
      {
        format_version: "1.2",
        output_changes: { primary_bucket_name: { actions: ["update"], before: "a", after: "b" } },
      },
      EMULATOR_DIFFERENCES,
    );
    expect(verdict.unexplained.map((u) => u.address)).toEqual(["output.primary_bucket_name"]);
  });

  it("takes the list as a parameter: with an empty list the moto re-plan fails", () => {
    expect(classifyReplan(plan(replicationUpdate(motoRule())), []).unexplained).toHaveLength(1);
  });
});

describe("changedPaths", () => {
  it("reports a list whose length changes at the list, and equal lists not at all", () => {
    expect(changedPaths({ a: [1, 2], b: [1] }, { a: [1, 2], b: [1, 2] })).toEqual([["b"]]);
  });

  it("descends into objects and lists of the same shape", () => {
    expect(changedPaths({ r: [{ x: 1, y: 2 }] }, { r: [{ x: 1, y: 3 }] })).toEqual([["r", 0, "y"]]);
  });

  it("treats a key missing on one side as a change", () => {
    expect(changedPaths({ a: 1 }, { a: 1, b: null })).toEqual([["b"]]);
  });
});
