/**
 * The `npm run local` flow: deploys the stack to a local AWS emulator, verifies the live result,
 * and tears it down.
 *
 *   tools → config → emulator up ‖ synth → terraform init → plan → plan guard → apply
 *   → verify (SDK v3) ‖ re-plan → probe → destroy ‖ re-plan check → emulator down
 *
 * `‖`: side by side, where neither can see the other. Synthesis needs no emulator. Verify and
 * the re-plan only read the deployment. The probe writes objects and, on the emulator, lifts the
 * bucket policy for its writes, so it waits for the re-plan's refresh to end; the re-plan check
 * then reads only the saved plan file (`terraform show -json`), so the teardown need not wait
 * for it. The run's order is otherwise the pipeline's: nothing is applied before the guard.
 * Each step is printed with its time; the report says which step or check failed and why, and
 * where the time went. With `keep` the deployment and the emulator stay up for the user.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatGuardResult, guardPlan } from "../plan/guard";
import { ReplanVerdict, classifyReplan } from "../plan/replan";
import { describeChanges, summarizePlan } from "../plan/summary";
import { LocalTools, discoverTools } from "../tools";
import { EMULATOR_DIFFERENCES } from "../emulator/differences";
import { VerifyRow, rowPasses } from "../verify/row";
import { VerifyResult, verifyDeployment } from "../verify/verify";
import { emulatorObjectWrites } from "../emulator/object-writes";
import { probeDistributions } from "../probe/cdn-probe";
import { probeObjects } from "../probe/object-probe";
import { localRunConfig } from "./run-config";
import { RunReport, resourceTimings, seconds } from "./run-report";
import { RunLog, StepFailed, bothSettled } from "./run-log";
import { LocalSession } from "./session";

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

/** What the run has once the stack is synthesized: its session and the synthesized JSON. */
interface Prepared {
  readonly session: LocalSession;
  readonly synthesized: Record<string, unknown>;
}

/**
 * The steps before the deployment exists: tools, configuration, then the emulator and synthesis
 * side by side. `onSession` receives the session as soon as it exists, so a failure later on
 * still stops its emulator.
 */
async function prepare(log: RunLog, options: RunOptions, onSession: (s: LocalSession) => void): Promise<Prepared> {
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
  const session = LocalSession.prepare({
    region: config.settings.primaryRegion,
    preferredPort: options.preferredPort,
    tools,
  });
  onSession(session);
  const [, synthesized] = await bothSettled(
    log.step(
      "emulator",
      "start moto_server on a free loopback port",
      () => session.startEmulator(),
      (e) => `${e.endpoint}, pid ${e.pid}; work folder ${session.workDir}`,
      "synth",
    ),
    log.step(
      "synth",
      "node main.ts with the run's configuration",
      () => session.synth(config.raw),
      (s) => `${countResources(s.json)} resources`,
      "emulator",
    ),
  );
  return { session, synthesized: synthesized.json };
}

function countResources(json: Record<string, unknown>): number {
  return Object.values((json.resource ?? {}) as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0);
}

function describeTools(tools: LocalTools): string {
  return `terraform ${tools.terraform}; moto ${tools.motoServer}; provider ${tools.providerVersion} from ${tools.providerMirror ?? "the registry (network)"}`;
}

/** Init, plan, guard, apply. */
async function deploy(log: RunLog, session: LocalSession): Promise<void> {
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
}

/** Reads the live resources back with the AWS SDK (read-only: it may run beside a plan). */
async function verifyStep(
  log: RunLog,
  session: LocalSession,
  synthesized: Record<string, unknown>,
): Promise<VerifyResult> {
  return log.step(
    "verify",
    "npm run verify's checks: the live resources read back with the AWS SDK",
    async () => {
      log.outputs = await session.terraform.outputs();
      const result = await verifyDeployment({ synthesized, env: session.env, tolerances: EMULATOR_DIFFERENCES });
      log.checks.push(...result.rows);
      log.notShown.push(...result.notShown);
      return result;
    },
    (result) => `${result.rows.filter(rowPasses).length}/${result.rows.length} checks pass`,
    "re-plan",
  );
}

/** The probe: an object written, read back and deleted; the distributions asked for a page. */
async function probeStep(log: RunLog, session: LocalSession, targets: VerifyResult): Promise<void> {
  await log.step(
    "probe",
    "npm run verify's probe: an object written, read back, deleted; the CDN asked",
    async () => {
      const env = session.env;
      const progress = (line: string) => log.print(`        ${line}\n`);
      // The probe's replication wait runs on AWS only: the emulator never replicates.
      const probed = await probeObjects({
        env,
        source: targets.buckets.primary,
        replica: targets.buckets.replica,
        tolerances: EMULATOR_DIFFERENCES,
        withObjectWrites: emulatorObjectWrites(env, progress),
        options: { timeoutSeconds: 1, progress },
      });
      const served = await probeDistributions(targets.distributions, EMULATOR_DIFFERENCES, fetch);
      const rows = [...probed.rows, ...served];
      log.checks.push(...rows);
      log.notShown.push(...probed.notShown);
      return rows;
    },
    (rows) => `${rows.filter(rowPasses).length}/${rows.length} checks pass`,
    "re-plan check",
  );
}

/**
 * Verify beside the re-plan's `terraform plan`; then the probe (and, unless kept, the teardown)
 * beside the re-plan check, which reads the saved plan only.
 */
async function verifyAndReplan(
  log: RunLog,
  session: LocalSession,
  synthesized: Record<string, unknown>,
  keep: boolean,
): Promise<void> {
  const [targets, replanFile] = await bothSettled(
    verifyStep(log, session, synthesized),
    log.step(
      "re-plan",
      "terraform plan again (it refreshes every resource)",
      () => session.planOnly("replan"),
      undefined,
      "verify",
    ),
  );
  // The rows go in the run's order (probe, re-plan, teardown), whichever step ends first.
  let teardownRow: VerifyRow | undefined;
  try {
    await bothSettled(
      log.step(
        "re-plan check",
        "the re-plan read back: nothing may change but the listed emulator differences",
        async () => (log.replan = classifyReplan((await session.readPlan(replanFile)).json, EMULATOR_DIFFERENCES)),
        (v) => `${v.unexplained.length} unexplained, ${v.tolerated.length} tolerated`,
        keep ? "probe" : "probe, destroy",
      ),
      (async () => {
        await probeStep(log, session, targets);
        if (!keep) teardownRow = await teardown(log, session);
      })(),
    );
  } finally {
    if (log.replan !== undefined) log.checks.push(...replanRows(log.replan));
    if (teardownRow !== undefined) log.checks.push(teardownRow);
  }
}

/** Destroy; the row says whether anything is left in the state. */
async function teardown(log: RunLog, session: LocalSession): Promise<VerifyRow> {
  const done = await log.step(
    "destroy",
    "terraform destroy, emptying buckets Terraform may not delete",
    () => session.destroy(),
    ({ emptied, forgotten }) =>
      `emptied ${
        emptied
          .filter((e) => e.objects > 0)
          .map((e) => `${e.bucket} (${e.objects})`)
          .join(", ") || "nothing"
      }; ${forgotten.length} key polic${forgotten.length === 1 ? "y" : "ies"} forgotten, not reset; then destroyed`,
    "re-plan check",
  );
  log.emptied = [...done.emptied];
  const left = await session.remaining();
  return localRow(
    "terraform state",
    "teardown",
    "no managed resource left",
    left.length === 0 ? "none" : left.join(", "),
    left.length === 0,
  );
}

/** Deploys, verifies and tears down; never throws for a failed step (see `failures`). */
export async function runLocal(options: RunOptions = {}): Promise<RunReport> {
  const keep = options.keep ?? false;
  // tools, config, emulator, synth, init, plan, guard, apply, verify, re-plan, probe, re-plan check,
  // destroy, emulator stop
  const log = new RunLog(keep ? 12 : 14);
  const failures: string[] = [];
  let session: LocalSession | undefined;
  try {
    const prepared = await prepare(log, options, (s) => (session = s));
    await deploy(log, prepared.session);
    await verifyAndReplan(log, prepared.session, prepared.synthesized, keep);
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
  const emulator = session?.emulatorIfStarted;
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
    emulator: emulator === undefined ? undefined : { pid: emulator.pid, endpoint: emulator.endpoint, kept: keep },
    env: emulator === undefined ? {} : (session?.env ?? {}),
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
  const emulator = session.emulatorIfStarted;
  await session.close({ keep });
  if (keep || emulator === undefined) return;
  log.steps.push({ name: "emulator stop", ms: Date.now() - t0, ok: true });
  log.print(`${log.nextNumber()} emulator stop: pid ${emulator.pid} stopped in ${seconds(Date.now() - t0)}\n`);
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
