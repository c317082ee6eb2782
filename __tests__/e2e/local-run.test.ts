// `npm run local` end to end, exactly as users run it: the real command, the real emulator and
// real Terraform.
// 1. A run whose apply is interrupted half-way (Terraform gets SIGINT a few seconds in, as from a
//    Ctrl-C or a CI timeout): it exits 1, says the apply failed, stops the emulator and keeps its
//    work folder with the logs.
// 2. A full run: it deploys, verifies, re-plans, destroys and stops the emulator, exit 0.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAnswering } from "../../src/ops/emulator/emulator";
import { RunReport } from "../../src/ops/local-run/run-report";
import { isRunning } from "../../src/ops/processes";
import { runProcess } from "../../src/ops/run-process";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";
import { findTerraform } from "../../src/ops/tools";
import { describeE2e } from "./support";

const work = mkdtempSync(join(tmpdir(), "local-run-e2e-"));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  report: RunReport;
}

/** Runs `npm run local -- --json <file> …` with extra environment; resolves when it exits. */
async function npmRunLocal(name: string, env: Record<string, string> = {}): Promise<Finished> {
  const json = join(work, `${name}.json`);
  const ended = await runProcess("npm", ["run", "--silent", "local", "--", "--json", json], {
    cwd: PROJECT_DIR,
    env: { ...process.env, ...env },
  });
  return {
    code: ended.exitCode,
    stdout: ended.stdout,
    stderr: ended.stderr,
    report: JSON.parse(readFileSync(json, "utf8")) as RunReport,
  };
}

/** A terraform that behaves as the real one, except that `apply` is interrupted after `seconds`. */
function terraformInterruptingApply(seconds: number): string {
  const path = join(work, "terraform");
  writeFileSync(
    path,
    [
      "#!/bin/sh",
      `if [ "$1" = apply ]; then exec timeout -s INT ${seconds} ${JSON.stringify(findTerraform())} "$@"; fi`,
      `exec ${JSON.stringify(findTerraform())} "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(path, 0o755);
  return path;
}

describeE2e("npm run local", () => {
  let interrupted: Finished;
  let full: Finished;

  beforeAll(async () => {
    interrupted = await npmRunLocal("interrupted", { TERRAFORM_BIN: terraformInterruptingApply(8) });
  }, 200_000);

  beforeAll(async () => {
    full = await npmRunLocal("full");
  }, 300_000);

  afterAll(() => {
    // The interrupted run keeps its work folder for inspection; the test removes it.
    if (interrupted?.report.workDir !== undefined) rmSync(interrupted.report.workDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const explain = (run: Finished) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

  describe("an apply interrupted half-way", () => {
    it("exits 1 and says the apply failed and why", () => {
      expect(interrupted.code).toBe(1);
      expect(interrupted.report.failures[0]).toMatch(
        /^step "apply" failed: terraform apply (exited with code 1|was killed)/,
      );
      expect(interrupted.stdout).toMatch(/FAILED:\n {2}- step "apply" failed/);
    });

    it("verifies nothing and destroys nothing, and stops the emulator", async () => {
      const ran = interrupted.report.steps.map((s) => s.name);
      expect(ran).toContain("apply");
      expect(ran).not.toContain("verify");
      expect(ran).not.toContain("destroy");
      expect(ran[ran.length - 1]).toBe("emulator stop");
      expect(isRunning(interrupted.report.emulator?.pid as number)).toBe(false);
      expect(await isAnswering(interrupted.report.emulator?.endpoint as string)).toBe(false);
      expect(interrupted.stdout).toMatch(/the next run starts from an empty emulator/);
    });

    it("keeps its work folder, with the apply's log and the report, and says where it is", () => {
      const workDir = interrupted.report.workDir as string;
      expect(interrupted.stdout).toContain(`Logs, plans, state and report.json are in ${workDir}`);
      expect(readdirSync(join(workDir, "logs")).some((f) => /-apply\.log$/.test(f))).toBe(true);
      expect(JSON.parse(readFileSync(join(workDir, "report.json"), "utf8")).ok).toBe(false);
    });
  });

  describe("the whole flow", () => {
    it("passes every step and every check, and says so", () => {
      expect({ code: full.code, failures: full.report.failures }).toEqual({ code: 0, failures: [] });
      expect(full.report.checks.filter((c) => c.status === "fail")).toEqual([]);
      expect(full.stdout).toMatch(
        new RegExp(`OK: deployed, ${full.report.checks.length} checks passed, destroyed, emulator stopped\\.`),
      );
    });

    it("starts from an empty emulator of its own, not the interrupted run's", () => {
      expect(full.report.emulator?.pid).not.toBe(interrupted.report.emulator?.pid);
      expect(full.report.steps.find((s) => s.name === "plan")?.detail).toMatch(/^\d+ to create$/);
    });

    it("verifies the runbook's encryption on both site buckets, and the probe object", () => {
      for (const bucket of [full.report.outputs.primary_bucket_name, full.report.outputs.replica_bucket_name]) {
        // The whole configuration, Bucket Key included, read back as declared: one passing row.
        const encryption = full.report.checks.filter(
          (c) =>
            c.resource.startsWith("aws_s3_bucket_server_side_encryption_configuration.") &&
            c.resource.endsWith(`(${bucket})`),
        );
        expect(encryption.map((c) => [c.path, c.status])).toEqual([["", "pass"]]);
      }
      expect(full.report.checks).toContainEqual(
        expect.objectContaining({ path: "probe: Bucket Key", found: "true", status: "pass" }),
      );
    }, 10_000);

    it("re-plans with no change but the listed emulator differences of the distribution and the replication configuration", () => {
      expect(full.report.replan?.unexplained).toEqual([]);
      const tolerated = full.report.replan?.tolerated ?? [];
      expect(tolerated.map((t) => t.address).sort()).toEqual([
        expect.stringMatching(/^aws_cloudfront_distribution\./),
        expect.stringMatching(/^aws_s3_bucket_replication_configuration\./),
      ]);
      expect(tolerated.find((t) => t.address.startsWith("aws_s3_bucket_replication_configuration."))?.paths).toEqual([
        "rule[0].delete_marker_replication[0].status",
        "rule[0].source_selection_criteria",
      ]);
      // Each of the distribution's is explained by a listed difference of aws_cloudfront_distribution.
      const distribution = tolerated.find((t) => t.address.startsWith("aws_cloudfront_distribution."));
      expect(distribution?.paths.length).toBeGreaterThan(0);
      expect(distribution?.differences.map((d) => d.resourceType)).toEqual(
        distribution?.differences.map(() => "aws_cloudfront_distribution"),
      );
    });

    it("destroys everything, emptying the log buckets S3 refused to delete, then stops the emulator", async () => {
      expect(full.report.checks).toContainEqual({
        path: "teardown",
        resource: "terraform state",
        expected: "no managed resource left",
        found: "none",
        status: "pass",
      });
      // The key policies leave the state instead of being reset to the default first; the keys
      // they belong to are destroyed with the rest, and nothing is left.
      expect(full.report.steps.find((s) => s.name === "destroy")?.detail).toMatch(
        /; 2 key policies forgotten, not reset; then destroyed$/,
      );
      expect(full.report.emptied.map((e) => e.bucket)).toEqual(
        expect.arrayContaining([full.report.outputs.primary_log_bucket_name]),
      );
      expect(isRunning(full.report.emulator?.pid as number)).toBe(false);
      expect(await isAnswering(full.report.emulator?.endpoint as string)).toBe(false);
    });

    it("removes its work folder after a clean run", () => {
      expect(full.report.workDir).toMatch(/\.local-run\/run-/);
      expect(existsSync(full.report.workDir as string)).toBe(false);
    });

    it("runs verify beside the re-plan, and the teardown beside the re-plan check, after the probe", () => {
      const step = (name: string) => full.report.steps.find((s) => s.name === name);
      expect(full.report.steps.map((s) => s.name)).toEqual(
        expect.arrayContaining(["verify", "re-plan", "probe", "re-plan check", "destroy"]),
      );
      expect(step("verify")?.alongside).toBe("re-plan");
      expect(step("re-plan check")?.alongside).toBe("probe, destroy");
      // The probe lifts the bucket policy on the emulator: it must not start before the re-plan's
      // refresh has ended, nor the destroy before the probe has.
      const start = (name: string) => step(name)?.at ?? NaN;
      const end = (name: string) => start(name) + (step(name)?.ms ?? NaN);
      expect(start("re-plan")).toBeLessThan(end("verify"));
      expect(start("probe")).toBeGreaterThanOrEqual(end("re-plan"));
      expect(start("destroy")).toBeGreaterThanOrEqual(end("probe"));
      expect(start("re-plan check")).toBeLessThan(end("probe"));
    });

    it("prints each step with its time, the checks table and where the time went", () => {
      expect(full.stdout).toMatch(/\[ 8\/14\] apply: terraform apply/);
      expect(full.stdout).toMatch(/apply ok in \d+\.\d s/);
      expect(full.stdout).toMatch(/\nChecks:\nresource +path +expected +found +result\n/);
      expect(full.stdout).toMatch(/\nWhere the time went:\nstep +time +share +note\n/);
      expect(explain(full)).not.toMatch(/FAILED/);
    });
  });
});
