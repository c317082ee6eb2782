import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/guard";
import { formatGuardResult, guardPlan } from "../../src/ops/plan/guard";
import { readPlan } from "../../src/ops/plan/read-plan";
import { ChangeAction, parsePlanJson, PlanJson, ResourceChange } from "../../src/ops/plan/plan-json";
import { captureOutput } from "./helpers/captured-output";

function change(
  type: string,
  name: string,
  actions: ChangeAction[],
  extra: Partial<ResourceChange> = {},
  before: unknown = {},
  after: unknown = {},
): ResourceChange {
  return { address: `${type}.${name}`, mode: "managed", type, name, change: { actions, before, after }, ...extra };
}

/** A bucket renamed: Terraform must replace it (`bucket` forces a new resource). */
const renamedBucket = change("aws_s3_bucket", "primary-bucket_D87EC2E7", ["delete", "create"], {
  action_reason: "replace_because_cannot_update",
  change: {
    actions: ["delete", "create"],
    before: { bucket: "portfolio-site-primary-123456789012" },
    after: { bucket: "renamed-primary-123456789012" },
    replace_paths: [["bucket"]],
  },
});

const removedKey = change("aws_kms_key", "primary-key_A86244A9", ["delete"], {
  action_reason: "delete_because_no_resource_config",
});

function plan(...changes: ResourceChange[]): PlanJson {
  return { format_version: "1.2", resource_changes: changes };
}

describe("guardPlan", () => {
  it("refuses a replaced bucket, naming it and the attribute that forces it, with both values", () => {
    const result = guardPlan(plan(renamedBucket));
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([
      {
        address: "aws_s3_bucket.primary-bucket_D87EC2E7",
        type: "aws_s3_bucket",
        kind: "replace",
        reason:
          'an attribute that cannot change in place changes (bucket: "portfolio-site-primary-123456789012" → "renamed-primary-123456789012")',
      },
    ]);
  });

  it("refuses a deleted key and says it left the configuration", () => {
    const result = guardPlan(plan(removedKey));
    expect(result.ok).toBe(false);
    expect(result.findings[0]).toMatchObject({
      kind: "delete",
      address: "aws_kms_key.primary-key_A86244A9",
      reason: "it is no longer in the configuration (renamed or removed)",
    });
  });

  it.each([
    ["aws_s3_bucket_replication_configuration", ["delete"]],
    ["aws_s3_bucket_server_side_encryption_configuration", ["create", "delete"]],
  ] as [string, ChangeAction[]][])("refuses %s when it is %j", (type, actions) => {
    const result = guardPlan(plan(change(type, "x", actions)));
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.type)).toEqual([type]);
  });

  it("lists every finding at once", () => {
    const result = guardPlan(
      plan(renamedBucket, removedKey, change("aws_s3_bucket_replication_configuration", "r", ["delete", "create"])),
    );
    expect(result.findings.map((f) => f.address)).toEqual([
      "aws_s3_bucket.primary-bucket_D87EC2E7",
      "aws_kms_key.primary-key_A86244A9",
      "aws_s3_bucket_replication_configuration.r",
    ]);
  });

  it("passes a plan that only creates", () => {
    const result = guardPlan(plan(change("aws_s3_bucket", "b", ["create"]), change("aws_kms_key", "k", ["create"])));
    expect(result).toEqual({ ok: true, findings: [], allowed: false });
  });

  it("passes a no-op plan and in-place updates of protected resources", () => {
    const result = guardPlan(plan(change("aws_s3_bucket", "b", ["no-op"]), change("aws_kms_key", "k", ["update"])));
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
  });

  it("passes deletions of resources that hold no data (aliases, policies, lifecycle)", () => {
    const result = guardPlan(
      plan(
        change("aws_kms_alias", "a", ["delete", "create"]),
        change("aws_s3_bucket_policy", "p", ["delete"]),
        change("aws_s3_bucket_lifecycle_configuration", "l", ["delete"]),
      ),
    );
    expect(result.ok).toBe(true);
  });

  it("ignores data sources", () => {
    const data: ResourceChange = { ...change("aws_s3_bucket", "d", ["delete"]), mode: "data" };
    expect(guardPlan(plan(data)).ok).toBe(true);
  });

  it("lets the plan pass with the explicit flag, still listing what goes", () => {
    const result = guardPlan(plan(renamedBucket, removedKey), { allowDestroy: true });
    expect(result.ok).toBe(true);
    expect(result.allowed).toBe(true);
    expect(result.findings).toHaveLength(2);
    expect(formatGuardResult(result)).toMatch(/allowed by --allow-destroy/);
  });

  it("explains a refusal and how to proceed", () => {
    const text = formatGuardResult(guardPlan(plan(renamedBucket)));
    expect(text).toMatch(/^Plan guard: REFUSED\. 1 protected resource\(s\) would be deleted or replaced:/);
    expect(text).toMatch(/REPLACE aws_s3_bucket\.primary-bucket_D87EC2E7/);
    expect(text).toMatch(/--allow-destroy/);
  });
});

describe("parsePlanJson", () => {
  it("rejects a state (show -json without a plan file)", () => {
    expect(() => parsePlanJson({ format_version: "1.0", values: {} }, "state.json")).toThrow(
      /state\.json is not the JSON of a saved Terraform plan.*is it a state\?/,
    );
  });

  it("rejects a resource change without actions", () => {
    expect(() => parsePlanJson({ format_version: "1.2", resource_changes: [{ address: "a.b", type: "a" }] })).toThrow(
      /lacks address, type or change\.actions/,
    );
  });
});

describe("npm run guard", () => {
  const dir = mkdtempSync(join(tmpdir(), "guard-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const output = captureOutput();

  it("exits 1 on a refused plan JSON, naming the resource on stderr", async () => {
    await expect(main([write("refused.json", plan(renamedBucket))])).resolves.toBe(1);
    expect(output.stderr()).toMatch(/REPLACE aws_s3_bucket\.primary-bucket_D87EC2E7/);
  });

  it("exits 0 on the same plan with --allow-destroy", async () => {
    await expect(main([write("allowed.json", plan(renamedBucket)), "--allow-destroy"])).resolves.toBe(0);
  });

  it("exits 0 on a safe plan", async () => {
    await expect(main([write("safe.json", plan(change("aws_s3_bucket", "b", ["update"])))])).resolves.toBe(0);
    expect(output.stdout()).toMatch(/Plan guard: passed/);
  });

  it("exits 2 with the usage on bad arguments or input", async () => {
    await expect(main([])).resolves.toBe(2);
    await expect(main(["a.json", "--nope"])).resolves.toBe(2);
    await expect(main([write("state.json", { format_version: "1.0", values: {} })])).resolves.toBe(2);
    expect(output.stderr()).toMatch(/Usage: npm run guard/);
  });

  it("takes one plan at a time", async () => {
    await expect(main([write("one.json", plan()), write("two.json", plan())])).resolves.toBe(2);
    expect(output.stderr()).toMatch(/unexpected argument .*two\.json/);
  });

  it("prints its usage and exits 0 on --help", async () => {
    await expect(main(["--help"])).resolves.toBe(0);
    expect(output.stdout()).toMatch(/^Usage: npm run guard -- <plan>/);
  });

  it("reads a saved plan through terraform show -json, and names the folder to run it in when that fails", async () => {
    // A stand-in for terraform that refuses the plan as terraform does outside its folder.
    const fake = join(dir, "terraform");
    writeFileSync(fake, "#!/bin/sh\necho 'Error: Failed to read the given file as a state or plan file' >&2\nexit 1\n");
    chmodSync(fake, 0o755);
    const saved = join(dir, "saved.tfplan");
    writeFileSync(saved, "PK\u0003\u0004 a zip archive");
    const previous = process.env.TERRAFORM_BIN;
    process.env.TERRAFORM_BIN = fake;
    try {
      await expect(main([saved, "--chdir", dir])).resolves.toBe(2);
    } finally {
      if (previous === undefined) delete process.env.TERRAFORM_BIN;
      else process.env.TERRAFORM_BIN = previous;
    }
    expect(output.stderr()).toContain(
      `guard: terraform show -json ${saved} failed in ${dir} (use --chdir <the directory the plan was made in>):\nError: Failed to read the given file as a state or plan file`,
    );
  });

  it("reads plan JSON without running Terraform", async () => {
    const path = write("plan.json", plan(removedKey));
    expect((await readPlan(path)).resource_changes).toHaveLength(1);
  });
});
