// The pure parts of the verifier: the one comparison, the filter equivalence the readers
// settle, the tolerance of a listed emulator difference, and finding a deployment without a state.
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { compareAttributes, show } from "../../src/ops/verify/compare";
import { Declaration } from "../../src/ops/verify/declaration";
import { DeploymentInputError } from "../../src/ops/deployment/errors";
import { filterBlock } from "../../src/ops/verify/readers/s3-filter";
import { toleranceFor } from "../../src/ops/verify/resource-rows";
import { StateIndex } from "../../src/ops/terraform/references";
import { NOT_DECLARED, NOT_SET } from "../../src/ops/verify/row";
import { verifyDeployment } from "../../src/ops/verify/verify";

const differences = (declared: Record<string, unknown>, live: Record<string, unknown>) =>
  compareAttributes(declared, live).differences.map((d) => [d.segments.join("."), d.expected, d.found]);

describe("the one comparison", () => {
  it("compares only the declared top-level attributes: the rest are the provider's defaults", () => {
    expect(differences({ bucket: "b" }, { bucket: "b", acceleration_status: "Enabled" })).toEqual([]);
    expect(compareAttributes({ bucket: "b", status: "on" }, { bucket: "b", status: "on" }).compared).toBe(2);
  });

  it("treats a block given as a list of one and as an object as the same block", () => {
    expect(
      differences({ rule: [{ filter: [{}], status: "Enabled" }] }, { rule: { filter: {}, status: "Enabled" } }),
    ).toEqual([]);
  });

  it("keys rules by id, whatever their order, and names a missing and an undeclared rule", () => {
    const declared = {
      rule: [
        { id: "a", days: 1 },
        { id: "b", days: 2 },
      ],
    };
    expect(
      differences(declared, {
        rule: [
          { id: "b", days: 2 },
          { id: "a", days: 1 },
        ],
      }),
    ).toEqual([]);
    expect(
      differences(declared, {
        rule: [
          { id: "a", days: 5 },
          { id: "c", days: 3 },
        ],
      }),
    ).toEqual([
      ["rule.a.days", "1", "5"],
      ["rule.b", "{days=2, id=b}", NOT_SET],
      ["rule.c", NOT_DECLARED, "{days=3, id=c}"],
    ]);
  });

  it("reports a member a declared block does not have, unless it is empty", () => {
    const declared = { rule: [{ id: "a", filter: {} }] };
    expect(differences(declared, { rule: [{ id: "a", filter: {}, priority: 0, flag: false }] })).toEqual([]);
    expect(differences(declared, { rule: [{ id: "a", filter: { prefix: "logs/" } }] })).toEqual([
      ["rule.a.filter.prefix", NOT_DECLARED, "logs/"],
    ]);
  });

  it("compares policies by meaning through the one policy model, statement by statement", () => {
    const declared = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Read", Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
      ],
    });
    const sameMeaning = encodeURIComponent(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: {
          Sid: "Read",
          Effect: "Allow",
          Principal: { AWS: ["*"] },
          Action: "s3:GetObject",
          Resource: ["arn:aws:s3:::b/*"],
        },
      }),
    );
    expect(differences({ policy: declared }, { policy: sameMeaning })).toEqual([]);
    const widened = declared.replace('["s3:GetObject"]', '["s3:GetObject","s3:PutObject"]');
    expect(differences({ policy: declared }, { policy: widened })).toEqual([
      ["policy.statement.Read.Action", "[s3:GetObject]", "[s3:GetObject, s3:PutObject]"],
    ]);
    expect(differences({ policy: declared }, { policy: "not json" })[0]).toEqual([
      "policy",
      "a policy document",
      expect.stringMatching(/^the policy is not valid JSON/),
    ]);
  });

  it("shows values compactly: keys sorted, strings unquoted when unambiguous", () => {
    expect(show({ b: [1, "x y"], a: true })).toBe("{a=true, b=[1, x y]}");
    expect(show("a,b")).toBe('"a,b"');
    expect(show(undefined)).toBe(NOT_SET);
  });
});

describe("the readers' filter equivalence", () => {
  it('reads no filter, an empty filter and Prefix "" as filter {}', () => {
    expect([filterBlock(undefined), filterBlock({}), filterBlock({ Prefix: "" })]).toEqual([{}, {}, {}]);
  });

  it("keeps a narrower filter, with `and` tags as a map", () => {
    expect(filterBlock({ And: { Prefix: "p/", Tags: [{ Key: "k", Value: "v" }] } })).toEqual({
      and: { prefix: "p/", tags: { k: "v" } },
    });
    expect(filterBlock(undefined, "legacy/")).toEqual({ prefix: "legacy/" });
  });
});

describe("a tolerance", () => {
  const type = "aws_s3_bucket_replication_configuration";
  const tolerance = toleranceFor(type, EMULATOR_DIFFERENCES);
  const path = ["rule", "replicate-everything", "delete_marker_replication"];

  it("explains exactly the listed value at the listed path of the listed type", () => {
    expect(tolerance(path, { status: "Disabled" })?.id).toBe("replication-delete-marker-status");
    expect(tolerance(path, { status: "Enabled" })).toBeUndefined();
    expect(tolerance(["rule", "x", "destination"], { status: "Disabled" })).toBeUndefined();
    expect(
      toleranceFor("aws_s3_bucket_lifecycle_configuration", EMULATOR_DIFFERENCES)(path, { status: "Disabled" }),
    ).toBeUndefined();
  });

  it("explains nothing when the caller passes no difference (AWS)", () => {
    expect(toleranceFor(type, [])(path, { status: "Disabled" })).toBeUndefined();
  });
});

describe("input that is not the stack", () => {
  it("is refused by the declaration", () => {
    expect(() => new Declaration({}, new StateIndex([]))).toThrow(
      new DeploymentInputError('synthesized JSON has no "resource" block: pass the parsed cdk.tf.json of the stack'),
    );
  });

  it("is refused before any AWS call", async () => {
    await expect(verifyDeployment({ synthesized: {}, env: {}, tolerances: [] })).rejects.toThrow(
      "the synthesized JSON declares no provider: pass the parsed cdk.tf.json of site-storage",
    );
  });

  it("names a provider that has no region", () => {
    const declaration = new Declaration(
      { provider: { aws: [{ alias: "x" }] }, resource: { aws_s3_bucket: { b: { provider: "aws.x", bucket: "b" } } } },
      new StateIndex([]),
    );
    const [bucket] = declaration.resources("aws_s3_bucket");
    expect(() => declaration.regionOf(bucket)).toThrow('provider "aws.x" of aws_s3_bucket.b declares no region');
  });
});
