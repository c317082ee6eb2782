// `npm run local` end to end, on the real emulator and real Terraform, sharing deployments:
// 1. a run whose apply fails half-way (its buckets' names are taken): non-zero, emulator stopped;
// 2. then a full run (which also shows the next run starts clean). While it is deployed, a hook
//    - turns the primary bucket's Bucket Key off and runs the verifier again (it must fail and
//      name it), then puts it back;
//    - plans a safe config change (tags, lifecycle days, log retention) with protectData on:
//      the guard passes and nothing is replaced;
//    - plans a `project` rename: with protectData on Terraform refuses to plan; with it off the
//      guard refuses and names the buckets; nothing is applied (buckets and an object remain).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketPolicyCommand, ListBucketsCommand,
  ListObjectVersionsCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { isRunning } from "../../src/local/cleanup";
import { s3ClientFor } from "../../src/local/empty-buckets";
import { isAnswering } from "../../src/local/emulator";
import { guardPlan, GuardResult } from "../../src/local/plan-guard";
import { ChangeAction } from "../../src/local/plan-json";
import { RunReport, runLocal } from "../../src/local/run-local";
import { LocalSession } from "../../src/local/session";
import { describeE2e } from "./support";
import { CheckRow, verifyDeployment } from "../../src/local/verify";

const projectDir = resolve(__dirname, "..", "..");
const workRoot = mkdtempSync(join(tmpdir(), "local-run-e2e-"));

/** Collects a run's printed lines, shown when an assertion fails. */
function collector(): { print: (text: string) => void; text: () => string } {
  let out = "";
  return { print: (t) => (out += t), text: () => out };
}

/** Lifts a bucket's policy (moto ignores its TLS conditions and refuses all object calls), writes, restores. */
async function putObjectPastPolicy(session: LocalSession, bucket: string, region: string, key: string): Promise<void> {
  const s3 = s3ClientFor(region, session.env);
  const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy as string;
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "keep me" }));
  } finally {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
  }
}

describeE2e("npm run local", () => {
  let faultRun: RunReport;
  const faultLog = collector();
  let run: RunReport;
  const runLog = collector();

  // What the hook saw on the live deployment.
  let bucketKeyOffRows: CheckRow[] = [];
  let bucketKeyRestoredRows: CheckRow[] = [];
  let safeGuard: GuardResult;
  let safeActions: { address: string; actions: readonly ChangeAction[] }[] = [];
  let protectedRenameError: unknown;
  let renameGuard: GuardResult;
  let renameKeyActions: (readonly ChangeAction[])[] = [];
  let renameCliExit: number | null = null;
  let renameCliStderr = "";
  let bucketsBefore: string[] = [];
  let bucketsAfter: string[] = [];
  let objectKeysAfter: string[] = [];
  let stateBefore = 0;
  let stateAfter = 0;

  beforeAll(async () => {
    // 1. The apply fails half-way: every bucket name is already taken (all regions outside
    //    us-east-1, where S3 would hand an existing bucket back to its owner as a success).
    faultRun = await runLocal({
      workRoot, print: faultLog.print,
      config: { project: "fault-site", primaryRegion: "us-east-2", replicaRegion: "us-west-2" },
      hooks: {
        async beforeApply(session) {
          const account = "123456789012";
          for (const [name, region] of [
            [`fault-site-primary-${account}`, "us-east-2"], [`fault-site-logs-${account}`, "us-east-2"],
            [`fault-site-replica-${account}`, "us-west-2"], [`fault-site-replica-logs-${account}`, "us-west-2"],
          ]) {
            await s3ClientFor(region, session.env).send(new CreateBucketCommand({
              Bucket: name, CreateBucketConfiguration: { LocationConstraint: region as "us-east-2" },
            }));
          }
        },
      },
    });

    // 2. The full run, with the hook on the live deployment.
    run = await runLocal({
      workRoot, print: runLog.print, config: {},
      hooks: {
        async beforeDestroy(session, deployed) {
          const out = deployed.outputs;
          const primary = out.primary_bucket_name;
          const region = out.primary_region;
          const s3 = s3ClientFor(region, session.env);

          // (b) Bucket Key off on the primary bucket: the verifier must fail and name it.
          const encryption = (bucketKey: boolean) => new PutBucketEncryptionCommand({
            Bucket: primary,
            ServerSideEncryptionConfiguration: { Rules: [{
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: out.primary_key_arn },
              BucketKeyEnabled: bucketKey,
            }] },
          });
          await s3.send(encryption(false));
          bucketKeyOffRows = await verifyDeployment({ ...deployed, env: session.env, emulator: true });
          await s3.send(encryption(true));
          bucketKeyRestoredRows = await verifyDeployment({ ...deployed, env: session.env, emulator: true });

          // (d) Data to lose: an object in the primary bucket.
          await putObjectPastPolicy(session, primary, region, "index.html");
          bucketsBefore = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name as string);
          stateBefore = (await session.terraform.statePull()).resources?.length ?? 0;

          // A safe change, under protectData (the default): planned, guarded, not applied.
          await session.synth({
            tags: { CostCenter: "web-42" },
            lifecycle: { noncurrentTransitionDays: 45, noncurrentExpirationDays: 400, abortIncompleteMultipartUploadDays: 3 },
            logging: { retentionDays: 30 },
          });
          const safe = await session.plan("safe-change");
          safeGuard = guardPlan(safe.json);
          safeActions = (safe.json.resource_changes ?? []).map((c) => ({ address: c.address, actions: c.change.actions }));

          // A rename under protectData: Terraform itself refuses (prevent_destroy).
          await session.synth({ project: "renamed-site" });
          protectedRenameError = await session.plan("rename-protected").then(() => undefined, (e: unknown) => e);

          // The same rename without protection: the plan exists, the guard refuses it.
          await session.synth({ project: "renamed-site", protectData: false });
          const rename = await session.plan("rename");
          renameGuard = guardPlan(rename.json);
          renameKeyActions = (rename.json.resource_changes ?? []).filter((c) => c.type === "aws_kms_key").map((c) => c.change.actions);
          const cli = spawnSync(process.execPath, ["--require", "tsx/cjs", "src/local/guard-cli.ts", rename.file, "--chdir", session.terraform.cwd], {
            cwd: projectDir, env: session.env as NodeJS.ProcessEnv, encoding: "utf8",
          });
          renameCliExit = cli.status;
          renameCliStderr = cli.stderr;

          // Nothing was applied: same state, same buckets, the object still there.
          stateAfter = (await session.terraform.statePull()).resources?.length ?? 0;
          bucketsAfter = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name as string);
          objectKeysAfter = ((await s3.send(new ListObjectVersionsCommand({ Bucket: primary }))).Versions ?? []).map((v) => v.Key as string);
        },
      },
    });
  }, 400_000);

  // The runs stopped their emulators themselves; their work folders (the failed run keeps its
  // own for inspection) go with the temporary root.
  afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

  const explain = (report: RunReport, log: { text: () => string }) => (report.ok ? "" : `\n${report.failures.join("\n")}\n${log.text()}`);

  describe("an apply that fails half-way", () => {
    it("exits non-zero and says the apply failed and why", () => {
      expect(faultRun.ok).toBe(false);
      expect(faultRun.failures[0]).toMatch(/^step "apply" failed: terraform apply exited with code 1:/);
      expect(faultRun.failures[0]).toMatch(/BucketAlreadyOwnedByYou/);
    });

    it("stops there: no verify, no destroy, and the emulator is stopped", async () => {
      expect(faultRun.steps.map((s) => s.name)).toEqual(
        ["tools", "config", "emulator", "synth", "init", "plan", "guard", "apply", "emulator stop"]);
      expect(isRunning(faultRun.emulator?.pid as number)).toBe(false);
      expect(await isAnswering(faultRun.emulator?.endpoint as string)).toBe(false);
    });

    it("keeps its work folder (logs, plan, state) for inspection", () => {
      expect(faultRun.workDir).toBeDefined();
      expect(faultLog.text()).toMatch(/the next run starts from an empty emulator/);
    });

    it("leaves nothing for the next run: it gets its own emulator and creates everything afresh", () => {
      expect(run.emulator?.pid).not.toBe(faultRun.emulator?.pid);
      expect(run.workDir).not.toBe(faultRun.workDir);
      expect(run.steps.find((s) => s.name === "plan")?.detail).toMatch(/^\d+ to create$/);
    });
  });

  describe("the whole flow", () => {
    it("passes every step and every check", () => {
      expect(run.ok).toBe(true);
      expect({ failures: run.failures, log: explain(run, runLog) }).toEqual({ failures: [], log: "" });
      expect(run.steps.map((s) => s.name)).toEqual([
        "tools", "config", "emulator", "synth", "init", "plan", "guard", "apply", "verify", "re-plan", "hooks", "destroy", "emulator stop",
      ]);
      expect(run.checks.length).toBeGreaterThan(50);
      expect(run.checks.filter((c) => !c.pass)).toEqual([]);
    });

    it("verifies the runbook's encryption on every bucket and the object round trip", () => {
      for (const bucket of ["primary_bucket_name", "replica_bucket_name"]) {
        expect(run.checks).toContainEqual(expect.objectContaining({
          check: expect.stringMatching(/Bucket Key/), resource: run.outputs[bucket], found: "true", pass: true,
        }));
      }
      expect(run.checks.filter((c) => c.check.startsWith("round trip")).length).toBeGreaterThan(0);
    });

    it("re-plans with no change but the listed emulator differences of the replication configuration", () => {
      expect(run.replan?.unexplained).toEqual([]);
      expect(run.replan?.tolerated.map((t) => t.address)).toEqual([expect.stringMatching(/^aws_s3_bucket_replication_configuration\./)]);
      expect(run.replan?.tolerated[0].paths).toEqual(["rule[0].delete_marker_replication[0].status", "rule[0].source_selection_criteria"]);
    });

    it("destroys everything, emptying the buckets S3 refused to delete, then stops the emulator", async () => {
      expect(run.checks).toContainEqual({ check: "teardown", resource: "terraform state", expected: "no managed resource left", found: "none", pass: true });
      expect(run.emptied.map((e) => e.bucket)).toEqual(expect.arrayContaining([run.outputs.primary_log_bucket_name, run.outputs.primary_bucket_name]));
      expect(isRunning(run.emulator?.pid as number)).toBe(false);
      expect(await isAnswering(run.emulator?.endpoint as string)).toBe(false);
    });

    it("prints each step with its time, the checks table and where the time went", () => {
      const text = runLog.text();
      expect(text).toMatch(/\[ 8\/13\] apply: terraform apply/);
      expect(text).toMatch(/ok in \d+\.\d s/);
      expect(run.totalMs).toBeLessThan(run.budgetMs + 60_000);
    });
  });

  describe("the verifier, on a deliberately wrong live setting", () => {
    it("fails when the primary bucket's Bucket Key is off, and names it", () => {
      const failed = bucketKeyOffRows.filter((r) => !r.pass);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed).toContainEqual(expect.objectContaining({
        check: expect.stringMatching(/Bucket Key/), resource: run.outputs.primary_bucket_name, expected: "true", found: "false",
      }));
      // Only the Bucket Key is wrong, so only Bucket Key rows fail.
      expect(failed.every((r) => /Bucket Key/.test(r.check))).toBe(true);
    });

    it("passes again once it is turned back on", () => {
      expect(bucketKeyRestoredRows.filter((r) => !r.pass)).toEqual([]);
    });
  });

  describe("the plan guard on a live deployment (issue 5)", () => {
    it("passes a safe change (tags, lifecycle days, log retention) under protectData, replacing nothing", () => {
      expect(safeGuard.ok).toBe(true);
      expect(safeGuard.findings).toEqual([]);
      const changed = safeActions.filter((c) => !c.actions.every((a) => a === "no-op"));
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((c) => !(c.actions.length === 1 && c.actions[0] === "update"))).toEqual([]);
      expect(changed.map((c) => c.address)).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_lifecycle_configuration\./)]));
    });

    it("has Terraform refuse to plan a project rename while protectData is on", () => {
      expect((protectedRenameError as Error)?.message).toMatch(/Instance cannot be destroyed/);
      expect((protectedRenameError as Error)?.message).toMatch(/aws_s3_bucket\./);
    });

    it("refuses a project rename without protectData, naming every bucket and what protects its data", () => {
      expect(renameGuard.ok).toBe(false);
      const named = renameGuard.findings.map((f) => `${f.kind} ${f.type}`);
      expect(named.filter((n) => n === "replace aws_s3_bucket")).toHaveLength(4);
      expect(named.filter((n) => n === "replace aws_s3_bucket_server_side_encryption_configuration")).toHaveLength(4);
      expect(named).toContain("replace aws_s3_bucket_replication_configuration");
      expect(renameGuard.findings.find((f) => f.type === "aws_s3_bucket")?.reason)
        .toMatch(/bucket: "portfolio-site-\S+-123456789012" → "renamed-site-\S+-123456789012"/);
    });

    it("keeps the KMS keys through a rename (updated in place), so the guard has no key to name", () => {
      expect(renameKeyActions).toEqual([["update"], ["update"]]);
    });

    it("refuses the saved plan file through `npm run guard` too (exit 1, buckets named)", () => {
      expect(renameCliExit).toBe(1);
      expect(renameCliStderr).toMatch(/Plan guard: REFUSED/);
      expect(renameCliStderr).toMatch(/REPLACE aws_s3_bucket\.primary-bucket_/);
    });

    it("applies nothing: the state, the old buckets and their object are all still there", () => {
      expect(stateAfter).toBe(stateBefore);
      expect(bucketsAfter.sort()).toEqual(bucketsBefore.sort());
      expect(bucketsAfter.some((b) => b.startsWith("renamed-site-"))).toBe(false);
      expect(objectKeysAfter).toContain("index.html");
    });
  });
});
