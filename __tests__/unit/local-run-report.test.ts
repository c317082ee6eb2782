import { textTable } from "../../src/common/text";
import { TerraformError } from "../../src/ops/terraform/errors";
import {
  keepInstructions,
  resourceTimings,
  RunReport,
  slowestResources,
  timingSummary,
} from "../../src/ops/local-run/run-report";
import { renderReport } from "../../src/cli/local";
import { rowsTable } from "../../src/cli/report-table";
import { replanRows } from "../../src/ops/local-run/run-local";
import { onlyNonEmptyBuckets } from "../../src/ops/local-run/session";
import { errorParagraphs } from "../../src/ops/terraform/runner";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";

describe("the checks table", () => {
  it("has one line per check with pass or FAIL", () => {
    const text = rowsTable(
      [
        { resource: "b1", path: "versioning", expected: "Enabled", found: "Enabled", status: "pass" },
        { resource: "b1", path: "default encryption: Bucket Key", expected: "true", found: "false", status: "fail" },
      ],
      120,
    );
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^resource\s+path\s+expected\s+found\s+result$/);
    expect(lines[2]).toMatch(/^b1\s+versioning\s+Enabled\s+Enabled\s+pass$/);
    expect(lines[3]).toMatch(/^b1\s+default encryption: Bucket Key\s+true\s+false\s+FAIL$/);
  });

  it("cuts long cells and marks the cut", () => {
    expect(textTable(["h"], [["x".repeat(20)]], { maxWidth: 10 }).split("\n")[2]).toBe(`${"x".repeat(9)}…`);
  });
});

describe("where the time goes", () => {
  const apply = [
    "aws_kms_key.primary-key_A86244A9: Creation complete after 13s [id=abc]",
    "aws_s3_bucket_lifecycle_configuration.primary-bucket_lifecycle_1776844E: Creation complete after 55s [id=b]",
    "aws_iam_role.replication_role_0847815E: Creation complete after 1m2s [id=r]",
    "aws_s3_bucket.b: Still creating... [10s elapsed]",
  ].join("\n");

  it("reads per-resource durations from Terraform's output, slowest first", () => {
    expect(resourceTimings(apply)).toEqual([
      { address: "aws_iam_role.replication_role_0847815E", operation: "Creation", seconds: 62 },
      {
        address: "aws_s3_bucket_lifecycle_configuration.primary-bucket_lifecycle_1776844E",
        operation: "Creation",
        seconds: 55,
      },
      { address: "aws_kms_key.primary-key_A86244A9", operation: "Creation", seconds: 13 },
    ]);
  });

  it("explains the lifecycle-configuration wait when it shows", () => {
    expect(slowestResources(resourceTimings(apply))).toMatch(/reads the same rules\s+back 10 times in a row/);
  });

  it("sorts steps by time, gives each a share, and ends with the total", () => {
    const text = timingSummary(
      [
        { name: "plan", ms: 5000, ok: true },
        { name: "apply", ms: 60000, ok: true },
      ],
      100000,
    );
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^apply\s+60\.0 s\s+60%/);
    expect(lines[3]).toMatch(/^plan\s+5\.0 s\s+5%/);
    expect(lines[4]).toBe("total 100.0 s");
  });

  it("says which steps ran side by side, and that their times overlap", () => {
    const text = timingSummary(
      [
        { name: "verify", ms: 1500, ok: true, detail: "40/40 checks pass", alongside: "re-plan" },
        { name: "re-plan", ms: 8000, ok: true, alongside: "verify" },
      ],
      9000,
    );
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^re-plan\s+8\.0 s\s+89%\s+beside verify$/);
    expect(lines[3]).toMatch(/^verify\s+1\.5 s\s+17%\s+beside re-plan; 40\/40 checks pass$/);
    expect(lines[4]).toBe("total 9.0 s (steps side by side overlap)");
  });
});

describe("the re-plan rows", () => {
  it("shows a tolerated difference as a tolerated row that names the emulator behaviour", () => {
    const rows = replanRows({
      unexplained: [],
      tolerated: [
        { address: "r", paths: ["rule[0].source_selection_criteria"], differences: [EMULATOR_DIFFERENCES[1]] },
      ],
    });
    expect(rows).toEqual([
      expect.objectContaining({
        resource: "r",
        status: "tolerated",
        found: "update of rule[0].source_selection_criteria",
        note: expect.stringMatching(/does not return SourceSelectionCriteria/),
      }),
    ]);
  });

  it("shows an unexplained change as a failing row", () => {
    const rows = replanRows({
      unexplained: [{ address: "a", actions: ["update"], paths: ["x"], reason: "update of x" }],
      tolerated: [],
    });
    expect(rows).toEqual([
      {
        path: "re-plan: no perpetual diff",
        resource: "a",
        expected: "no change",
        found: "update of x",
        status: "fail",
      },
    ]);
  });

  it("shows an empty re-plan as one passing row", () => {
    expect(replanRows({ unexplained: [], tolerated: [] })).toEqual([
      expect.objectContaining({ found: "no change", status: "pass" }),
    ]);
  });
});

describe("Terraform errors", () => {
  const output = [
    "aws_s3_bucket.a: Destroying... [id=a]",
    "╷",
    "│ Error: deleting S3 Bucket (a): operation error S3: DeleteBucket, api error BucketNotEmpty: The bucket you tried to delete is not empty",
    "│ ",
    "│ ",
    "╵",
    "╷",
    "│ Error: deleting S3 Bucket (b): api error BucketNotEmpty: not empty",
    "╵",
  ].join("\n");

  it("keeps the Error paragraphs without the box drawing", () => {
    expect(errorParagraphs(output)).toBe(
      [
        "Error: deleting S3 Bucket (a): operation error S3: DeleteBucket, api error BucketNotEmpty: The bucket you tried to delete is not empty",
        "",
        "Error: deleting S3 Bucket (b): api error BucketNotEmpty: not empty",
      ].join("\n"),
    );
  });

  it("lets the teardown empty buckets only when every error is BucketNotEmpty", () => {
    expect(onlyNonEmptyBuckets(new TerraformError("destroy", 1, errorParagraphs(output), "log"))).toBe(true);
    const mixed = `${output}\n│ Error: deleting KMS Key: AccessDenied\n╵`;
    expect(onlyNonEmptyBuckets(new TerraformError("destroy", 1, errorParagraphs(mixed), "log"))).toBe(false);
    expect(onlyNonEmptyBuckets(new Error("BucketNotEmpty"))).toBe(false);
  });

  it("says which command failed, how, and where the full output is", () => {
    expect(new TerraformError("apply", 1, "Error: boom", "/w/logs/05-apply.log").message).toBe(
      "terraform apply exited with code 1:\n    Error: boom\nFull output: /w/logs/05-apply.log",
    );
  });
});

describe("the end of a run", () => {
  const base: RunReport = {
    ok: true,
    steps: [{ name: "apply", ms: 60000, ok: true }],
    checks: [],
    failures: [],
    totalMs: 80000,
    workDir: "/w/run-1",
    outputs: { primary_bucket_name: "site-primary-123456789012" },
    applyTimings: [],
    emptied: [],
    notShown: [],
    emulator: { pid: 4242, endpoint: "http://127.0.0.1:41000", kept: true },
    env: {
      AWS_ENDPOINT_URL: "http://127.0.0.1:41000",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_S3_USE_PATH_STYLE: "true",
      AWS_REGION: "us-east-1",
      TF_CLI_CONFIG_FILE: "/w/run-1/terraform.tfrc",
    },
  };

  it("with --keep, says how to reach the emulator and how to stop it", () => {
    const text = keepInstructions(base);
    expect(text).toContain("The emulator is still running: http://127.0.0.1:41000 (pid 4242).");
    expect(text).toContain("  export AWS_ENDPOINT_URL=http://127.0.0.1:41000");
    expect(text).toContain("  export AWS_S3_USE_PATH_STYLE=true");
    expect(text).toContain("aws s3api get-bucket-encryption --bucket site-primary-123456789012 --region us-east-1");
    expect(text).toContain("cd /w/run-1/cdktf.out/stacks/site-storage && terraform state list");
    expect(text).toContain("  kill 4242");
  });

  it("prints nothing about the emulator when it was stopped", () => {
    expect(keepInstructions({ ...base, emulator: { ...base.emulator!, kept: false } })).toBe("");
  });

  it("ends a failed run with each reason and where the logs are", () => {
    const text = renderReport({ ...base, ok: false, failures: ['step "apply" failed: boom'], emulator: undefined });
    expect(text).toMatch(
      /FAILED:\n {2}- step "apply" failed: boom\nLogs, plans, state and report\.json are in \/w\/run-1/,
    );
  });
});
