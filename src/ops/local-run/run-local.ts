/**
 * The `npm run local` flow: deploys the stack to a local AWS emulator, verifies the live result,
 * and tears it down.
 *
 *   tools → config → emulator up → synth → terraform init → plan → plan guard → apply
 *   → verify (SDK v3) → re-plan (empty but for the listed emulator differences) → destroy
 *   → emulator down
 *
 * Each step is printed with its time; the report says which step or check failed and why, and
 * where the time went. With `keep` the deployment and the emulator stay up for the user.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { indent } from "../../common/text";
import { GuardResult, formatGuardResult, guardPlan } from "../plan/guard";
import { ReplanVerdict, classifyReplan } from "../plan/replan";
import { describeChanges, summarizePlan } from "../plan/summary";
import { LocalTools, discoverTools } from "../tools";
import { EMULATOR_DIFFERENCES } from "../emulator/differences";
import { VerifyRow, rowPasses } from "../verify/row";
import { verifyDeployment } from "../verify/verify";
import { emulatorObjectWrites } from "../emulator/object-writes";
import { probeDistributions } from "../probe/cdn-probe";
import { probeObjects } from "../probe/object-probe";
import { RunConfig, localRunConfig } from "./run-config";
import { ResourceTiming, RunReport, StepTiming, resourceTimings, seconds } from "./run-report";
import { EmptiedBucket, LocalSession } from "./session";

/** Options of {@link runLocal}. */
export interface RunOptions {
  /**
   * Leave the deployment and the emulator running at the end (also after a failure).
   * @default false
   */
  readonly keep?: boolean;
  /**
   * Emulator port to try first (another is picked when busy).
   * @default a free port
   */
  readonly preferredPort?: number;
}

/** A step failed: the run stops going forward and tears down. */
class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly reason: unknown,
  ) {
    super(`${step}: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/** Prints and times the steps of one run, and keeps what they found. */
class RunLog {
  readonly steps: StepTiming[] = [];
  readonly checks: VerifyRow[] = [];
  readonly started = Date.now();
  outputs: Record<string, string> = {};
  guard?: GuardResult;
  replan?: ReplanVerdict;
  applyTimings: ResourceTiming[] = [];
  emptied: EmptiedBucket[] = [];
  /** What the emulator cannot show, as the verifier names it. */
  notShown: string[] = [];
  /** Set once apply starts: from then on the emulator holds resources. */
  applying = false;

  constructor(readonly totalSteps: number) {}

  print(text: string): void {
    process.stdout.write(text);
  }

  /** Runs one step: prints it, times it, records it; a throw becomes StepFailed. */
  async step<T>(name: string, what: string, body: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
    this.print(`[${String(this.steps.length + 1).padStart(2)}/${this.totalSteps}] ${name}: ${what}\n`);
    const t0 = Date.now();
    try {
      const value = await body();
      const note = detail?.(value);
      this.steps.push({ name, ms: Date.now() - t0, ok: true, detail: note });
      this.print(`        ok in ${seconds(Date.now() - t0)}${note ? ` (${note})` : ""}\n`);
      return value;
    } catch (error) {
      this.steps.push({ name, ms: Date.now() - t0, ok: false, detail: "failed" });
      this.print(
        `        FAILED after ${seconds(Date.now() - t0)}\n${indent((error as Error).message ?? String(error))}\n`,
      );
      throw new StepFailed(name, error);
    }
  }
}

/** The steps before the deployment exists: tools, configuration, emulator. */
async function prepare(log: RunLog, options: RunOptions): Promise<{ session: LocalSession; config: RunConfig }> {
  const tools = await log.step(
    "tools",
    "find terraform, moto_server and the AWS provider mirror",
    async () => discoverTools(process.env),
    describeTools,
  );
  const config = await log.step(
    "config",
    "the user's configuration, with protectData off and the state local (a throwaway deployment)",
    async () => localRunConfig(),
    (c) => `${c.source}; project ${c.settings.project}, ${c.settings.primaryRegion} → ${c.settings.replicaRegion}`,
  );
  const session = await log.step(
    "emulator",
    "start moto_server on a free loopback port",
    () => LocalSession.open({ region: config.settings.primaryRegion, preferredPort: options.preferredPort, tools }),
    (s) => `${s.emulator.endpoint}, pid ${s.emulator.pid}; work folder ${s.workDir}`,
  );
  return { session, config };
}

function describeTools(tools: LocalTools): string {
  return `terraform ${tools.terraform}; moto ${tools.motoServer}; provider ${tools.providerVersion} from ${tools.providerMirror ?? "the registry (network)"}`;
}

/** Synth, init, plan, guard, apply. */
async function deploy(log: RunLog, session: LocalSession, config: RunConfig): Promise<Record<string, unknown>> {
  const synthesized = await log.step(
    "synth",
    "node main.ts with the run's configuration",
    () => session.synth(config.raw),
    (s) =>
      `${Object.values((s.json.resource ?? {}) as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0)} resources`,
  );
  await log.step("init", "terraform init (state in the work folder)", () => session.init());
  const plan = await log.step(
    "plan",
    "terraform plan -out",
    () => session.plan("deploy"),
    (p) => describeChanges(summarizePlan(p.json)),
  );
  log.guard = await log.step(
    "guard",
    "no bucket, key, replication or encryption configuration deleted or replaced",
    async () => {
      const result = guardPlan(plan.json);
      if (!result.ok) throw new Error(formatGuardResult(result));
      return result;
    },
    () => "passed",
  );
  log.checks.push(localRow("plan", "plan guard", "no protected resource deleted or replaced", "none", true));
  log.applying = true;
  const apply = await log.step("apply", "terraform apply of the guarded plan (about a minute: lifecycle waits)", () =>
    session.apply(plan),
  );
  log.applyTimings = resourceTimings(apply.stdout);
  return synthesized.json;
}

/** Verify the live resources, then re-plan. */
async function verifyLive(log: RunLog, session: LocalSession, synthesized: Record<string, unknown>): Promise<void> {
  await log.step(
    "verify",
    "npm run verify's checks: the live resources read back with the AWS SDK, and the probe",
    async () => {
      log.outputs = await session.terraform.outputs();
      const env = session.env;
      const result = await verifyDeployment({ synthesized, env, tolerances: EMULATOR_DIFFERENCES });
      const progress = (line: string) => log.print(`        ${line}\n`);
      // The probe's replication wait runs on AWS only: the emulator never replicates.
      const probed = await probeObjects({
        env,
        source: result.buckets.primary,
        replica: result.buckets.replica,
        tolerances: EMULATOR_DIFFERENCES,
        withObjectWrites: emulatorObjectWrites(env, progress),
        options: { timeoutSeconds: 1, progress },
      });
      const served = await probeDistributions(result.distributions, EMULATOR_DIFFERENCES, fetch);
      const rows = [...result.rows, ...probed.rows, ...served];
      log.checks.push(...rows);
      log.notShown = [...result.notShown, ...probed.notShown];
      return rows;
    },
    (rows) => `${rows.filter(rowPasses).length}/${rows.length} checks pass`,
  );
  log.replan = await log.step(
    "re-plan",
    "terraform plan again: nothing may change but the listed emulator differences",
    async () => classifyReplan((await session.plan("replan")).json, EMULATOR_DIFFERENCES),
    (v) => `${v.unexplained.length} unexplained, ${v.tolerated.length} tolerated`,
  );
  log.checks.push(...replanRows(log.replan));
}

/** Destroy, and check nothing is left in the state. */
async function teardown(log: RunLog, session: LocalSession): Promise<void> {
  log.emptied = await log.step(
    "destroy",
    "terraform destroy, emptying buckets Terraform may not delete",
    () => session.destroy(),
    (emptied) =>
      `emptied ${
        emptied
          .filter((e) => e.objects > 0)
          .map((e) => `${e.bucket} (${e.objects})`)
          .join(", ") || "nothing"
      }, then destroyed`,
  );
  const left = await session.remaining();
  log.checks.push(
    localRow(
      "terraform state",
      "teardown",
      "no managed resource left",
      left.length === 0 ? "none" : left.join(", "),
      left.length === 0,
    ),
  );
}

/** Deploys, verifies and tears down; never throws for a failed step (see `failures`). */
export async function runLocal(options: RunOptions = {}): Promise<RunReport> {
  const keep = options.keep ?? false;
  // tools, config, emulator, synth, init, plan, guard, apply, verify, re-plan, destroy, emulator stop
  const log = new RunLog(keep ? 10 : 12);
  const failures: string[] = [];
  let session: LocalSession | undefined;
  try {
    const prepared = await prepare(log, options);
    session = prepared.session;
    const synthesized = await deploy(log, session, prepared.config);
    await verifyLive(log, session, synthesized);
    if (!keep) await teardown(log, session);
  } catch (error) {
    const failure = error instanceof StepFailed ? error : new StepFailed("run", error);
    failures.push(`step "${failure.step}" failed: ${(failure.reason as Error)?.message ?? String(failure.reason)}`);
    if (log.applying && !keep) {
      log.print(
        "        the emulator is stopped next: whatever was created goes with it; the next run starts from an empty emulator\n",
      );
    }
  } finally {
    if (session !== undefined) await stopEmulator(log, session, keep);
  }
  const failedChecks = log.checks.filter((c) => !rowPasses(c));
  if (failedChecks.length > 0) {
    failures.push(
      `${failedChecks.length} check(s) failed: ${failedChecks.map((c) => `${c.path} on ${c.resource} (expected ${c.expected}, found ${c.found})`).join("; ")}`,
    );
  }
  const report: RunReport = {
    ok: failures.length === 0,
    steps: log.steps,
    checks: log.checks,
    failures,
    totalMs: Date.now() - log.started,
    outputs: log.outputs,
    guard: log.guard,
    replan: log.replan,
    applyTimings: log.applyTimings,
    emptied: log.emptied,
    notShown: log.notShown,
    workDir: session?.workDir,
    emulator:
      session === undefined
        ? undefined
        : { pid: session.emulator.pid, endpoint: session.emulator.endpoint, kept: keep },
    env: session?.env ?? {},
  };
  if (session !== undefined) {
    writeFileSync(join(session.workDir, "report.json"), `${JSON.stringify({ ...report, env: undefined }, null, 2)}\n`);
    if (report.ok && !keep) await session.close({ removeWorkDir: true });
  }
  return report;
}

/** The last step: the emulator stops (or, with `keep`, is handed over to the user). */
async function stopEmulator(log: RunLog, session: LocalSession, keep: boolean): Promise<void> {
  const t0 = Date.now();
  await session.close({ keep });
  if (keep) return;
  log.steps.push({ name: "emulator stop", ms: Date.now() - t0, ok: true });
  log.print(
    `[${String(log.steps.length).padStart(2)}/${log.totalSteps}] emulator stop: pid ${session.emulator.pid} stopped in ${seconds(Date.now() - t0)}\n`,
  );
}

/** A row of the local run's own checks (plan guard, re-plan, teardown). */
function localRow(resource: string, path: string, expected: string, found: string, pass: boolean): VerifyRow {
  return { resource, path, expected, found, status: pass ? "pass" : "fail" };
}

/** The re-plan as rows: one per tolerated difference, one per unexplained change. */
export function replanRows(verdict: ReplanVerdict): VerifyRow[] {
  const rows: VerifyRow[] = verdict.tolerated.map((t) => ({
    resource: t.address,
    path: "re-plan: known emulator difference",
    expected: "no change (on AWS)",
    found: `update of ${t.paths.join(", ")}`,
    status: "tolerated",
    note: t.differences.map((d) => d.behaviour).join("; "),
  }));
  for (const u of verdict.unexplained) {
    rows.push(localRow(u.address, "re-plan: no perpetual diff", "no change", u.reason, false));
  }
  if (rows.length === 0) rows.push(localRow("plan", "re-plan: no perpetual diff", "no change", "no change", true));
  return rows;
}
