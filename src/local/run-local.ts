/**
 * `npm run local [-- --keep]`: deploys the stack to a local AWS emulator, verifies the live
 * result, and tears it down.
 *
 *   emulator up → synth → terraform init → plan → plan guard → apply → verify (SDK v3)
 *   → re-plan (empty but for the listed emulator differences) → destroy → emulator down
 *
 * Each step is printed with its time, then a table of checks and where the time went. The exit
 * code is non-zero when a step or a check fails, and the last lines say which and why. With
 * `--keep` the deployment and the emulator stay up and the run prints how to reach and stop them.
 *
 * `runLocal` is the whole flow as a function (the end-to-end tests call it); `main` is the CLI.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { classifyReplan, ReplanVerdict } from "./emulator-differences";
import { indent } from "./errors";
import { formatGuardResult, guardPlan, GuardResult } from "./plan-guard";
import { checksTable, resourceTimings, ResourceTiming, seconds, slowestResources, StepTiming, timingSummary } from "./report";
import { readUserConfig, runConfig } from "./run-config";
import { LocalSession, SavedPlan } from "./session";
import { discoverTools, LocalTools } from "./tools";
import { CheckRow, verifyDeployment, VerifyInput } from "./verify";

/** The project root: main.ts lives two folders up from here. */
export const PROJECT_DIR = resolve(__dirname, "..", "..");

/** The whole run should take at most this long (issue 3/4); the summary says when it does not. */
export const DEFAULT_BUDGET_MS = 150_000;

/** What the deployment looks like once applied: the verifier's input without the environment. */
export interface Deployed {
  readonly outputs: Record<string, string>;
  readonly state: unknown;
  readonly synthesized: unknown;
}

/** Extension points for tests: fault injection and extra checks on a live deployment. */
export interface RunHooks {
  /** After the guard, before apply (e.g. make the apply fail half-way). */
  beforeApply?(session: LocalSession): Promise<void>;
  /**
   * After verify and the re-plan, before destroy. Rows it returns join the table. It may
   * re-synthesize with another configuration: the runner synthesizes the run's own again
   * before destroying.
   */
  beforeDestroy?(session: LocalSession, deployed: Deployed): Promise<CheckRow[] | void>;
}

/** Options of {@link runLocal}. */
export interface RunOptions {
  /**
   * Leave the deployment and the emulator running at the end (also after a failure).
   * @default false
   */
  readonly keep?: boolean;
  /**
   * The project root.
   * @default PROJECT_DIR
   */
  readonly projectDir?: string;
  /**
   * Where the work folder is created (state, plans, logs, the emulator's log).
   * @default `<projectDir>/.local-run` (git-ignored)
   */
  readonly workRoot?: string;
  /**
   * The configuration to deploy, before `protectData: false` is applied to it.
   * @default the user's: SITE_CONFIG, else site.config.json, else the defaults
   */
  readonly config?: Record<string, unknown>;
  /**
   * The environment to start from.
   * @default process.env
   */
  readonly env?: Record<string, string | undefined>;
  /**
   * Emulator port to try first (another is picked when busy).
   * @default a free port
   */
  readonly preferredPort?: number;
  /**
   * @default DEFAULT_BUDGET_MS
   */
  readonly budgetMs?: number;
  /**
   * Where progress lines go.
   * @default process.stdout
   */
  readonly print?: (text: string) => void;
  /**
   * The verifier.
   * @default verifyDeployment
   */
  readonly verify?: (input: VerifyInput) => Promise<CheckRow[]>;
  /** Test hooks. */
  readonly hooks?: RunHooks;
  /**
   * The tools.
   * @default discoverTools()
   */
  readonly tools?: LocalTools;
}

/** Everything a run found out. */
export interface RunReport {
  /** True when every step and every check passed. */
  readonly ok: boolean;
  readonly steps: readonly StepTiming[];
  readonly checks: readonly CheckRow[];
  /** Why the run failed, one line per reason (empty when ok). */
  readonly failures: readonly string[];
  readonly totalMs: number;
  readonly budgetMs: number;
  /** The work folder; removed after a clean run without --keep. */
  readonly workDir?: string;
  readonly emulator?: { readonly pid: number; readonly endpoint: string; readonly kept: boolean };
  readonly outputs: Record<string, string>;
  readonly guard?: GuardResult;
  readonly replan?: ReplanVerdict;
  /** Per-resource durations of the apply, slowest first. */
  readonly applyTimings: readonly ResourceTiming[];
  /** Buckets the teardown had to empty before Terraform could delete them. */
  readonly emptied: readonly { bucket: string; objects: number }[];
  /** The environment of the run's children (emulator endpoint, test credentials, CLI config). */
  readonly env: Record<string, string | undefined>;
}

/** A step failed: the run stops going forward and tears down. */
class StepFailed extends Error {
  constructor(readonly step: string, readonly cause: unknown) {
    super(`${step}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** Rows for the runner's own checks, in the verifier's shape. */
function row(check: string, resource: string, expected: string, found: string, pass: boolean): CheckRow {
  return { check, resource, expected, found, pass };
}

/** Deploys, verifies and tears down; never throws for a failed step (see `failures`). */
export async function runLocal(options: RunOptions = {}): Promise<RunReport> {
  const started = Date.now();
  const print = options.print ?? ((text: string) => process.stdout.write(text));
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const baseEnv = options.env ?? process.env;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const verify = options.verify ?? verifyDeployment;
  const keep = options.keep ?? false;

  const steps: StepTiming[] = [];
  const checks: CheckRow[] = [];
  const failures: string[] = [];
  let outputs: Record<string, string> = {};
  let session: LocalSession | undefined;
  let guard: GuardResult | undefined;
  let replan: ReplanVerdict | undefined;
  let applyTimings: ResourceTiming[] = [];
  let emptied: { bucket: string; objects: number }[] = [];
  let applied = false;
  // tools, config, emulator, synth, init, plan, guard, apply, verify, re-plan, [hooks], destroy, emulator stop
  const TOTAL_STEPS = 12 + (options.hooks?.beforeDestroy === undefined ? 0 : 1) - (keep ? 2 : 0);

  /** Runs one step: prints it, times it, records it; a throw becomes StepFailed. */
  async function step<T>(name: string, what: string, body: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
    print(`[${String(steps.length + 1).padStart(2)}/${TOTAL_STEPS}] ${name}: ${what}\n`);
    const t0 = Date.now();
    try {
      const value = await body();
      const note = detail?.(value);
      steps.push({ name, ms: Date.now() - t0, ok: true, detail: note });
      print(`        ok in ${seconds(Date.now() - t0)}${note ? ` (${note})` : ""}\n`);
      return value;
    } catch (error) {
      steps.push({ name, ms: Date.now() - t0, ok: false, detail: "failed" });
      print(`        FAILED after ${seconds(Date.now() - t0)}\n${indent((error as Error).message ?? String(error))}\n`);
      throw new StepFailed(name, error);
    }
  }

  try {
    const tools = await step("tools", "find terraform, moto_server and the AWS provider mirror",
      async () => options.tools ?? discoverTools(baseEnv),
      (t) => `terraform ${t.terraform}; moto ${t.motoServer}; provider ${t.providerVersion} from ${t.providerMirror ?? "the registry (network)"}`);

    const { raw, settings } = await step("config", "the user's configuration, with protectData off and the state local (a throwaway deployment)",
      async () => {
        const user = options.config === undefined ? readUserConfig(projectDir, baseEnv) : { source: "options.config", raw: options.config };
        return { ...runConfig(user.raw, user.source), source: user.source };
      },
      (c) => `${c.source}; project ${c.settings.project}, ${c.settings.primaryRegion} → ${c.settings.replicaRegion}`);

    session = await step("emulator", "start moto_server on a free loopback port",
      () => LocalSession.open({
        projectDir, workRoot: options.workRoot ?? join(projectDir, ".local-run"), region: settings.primaryRegion,
        baseEnv, preferredPort: options.preferredPort, tools,
      }),
      (s) => `${s.emulator.endpoint}, pid ${s.emulator.pid}; work folder ${s.workDir}`);
    const live = session;

    const synthesized = await step("synth", "node main.ts with the run's configuration", () => live.synth(raw),
      (s) => `${Object.values((s.json.resource ?? {}) as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0)} resources`);

    await step("init", "terraform init (state in the work folder)", () => live.init());

    const plan = await step("plan", "terraform plan -out", () => live.plan("deploy"),
      (p) => summarizeActions(p));

    guard = await step("guard", "no bucket, key, replication or encryption configuration deleted or replaced", async () => {
      const result = guardPlan(plan.json);
      if (!result.ok) throw new Error(formatGuardResult(result));
      return result;
    }, () => "passed");
    checks.push(row("plan guard", "plan", "no protected resource deleted or replaced", "none", true));

    await options.hooks?.beforeApply?.(live);
    applied = true;
    const apply = await step("apply", "terraform apply of the guarded plan (about a minute: lifecycle waits)",
      () => live.apply(plan));
    applyTimings = resourceTimings(apply.stdout);

    const deployed = await step("verify", "read the live resources back with the AWS SDK", async () => {
      outputs = await live.terraform.outputs();
      const state = await live.state();
      const deployed: Deployed = { outputs, state, synthesized: synthesized.json };
      const rows = await verify({ ...deployed, env: live.env, emulator: true });
      checks.push(...rows);
      return { deployed, rows };
    }, (v) => `${v.rows.filter((r) => r.pass).length}/${v.rows.length} checks pass`);

    replan = await step("re-plan", "terraform plan again: nothing may change but the listed emulator differences", async () => {
      const again = await live.plan("replan");
      return classifyReplan(again.json);
    }, (v) => `${v.unexplained.length} unexplained, ${v.tolerated.length} tolerated`);
    checks.push(...replanRows(replan));

    if (options.hooks?.beforeDestroy !== undefined) {
      const extra = await step("hooks", "test hook on the live deployment", async () => {
        const rows = await options.hooks?.beforeDestroy?.(live, deployed.deployed);
        // The hook may have synthesized another configuration: destroy what the run deployed.
        await live.synth(raw);
        return rows ?? [];
      }, (rows) => `${rows.length} rows`);
      checks.push(...extra);
    }

    if (!keep) {
      const destroyed = await step("destroy", "terraform destroy, emptying buckets Terraform may not delete",
        () => live.destroy(),
        (d) => (d.emptied.length === 0 ? "one pass" : `emptied ${d.emptied.map((e) => `${e.bucket} (${e.objects})`).join(", ")}, then destroyed`));
      emptied = [...destroyed.emptied];
      const left = await live.remaining();
      checks.push(row("teardown", "terraform state", "no managed resource left", left.length === 0 ? "none" : left.join(", "), left.length === 0));
    }
  } catch (error) {
    const failure = error instanceof StepFailed ? error : new StepFailed("run", error);
    failures.push(`step "${failure.step}" failed: ${(failure.cause as Error)?.message ?? String(failure.cause)}`);
    if (applied && !keep) {
      print("        the emulator is stopped next: whatever was created goes with it; the next run starts from an empty emulator\n");
    }
  } finally {
    if (session !== undefined) {
      const s = session;
      const t0 = Date.now();
      await s.close({ keep });
      if (!keep) {
        steps.push({ name: "emulator stop", ms: Date.now() - t0, ok: true });
        print(`[${String(steps.length).padStart(2)}/${TOTAL_STEPS}] emulator stop: pid ${s.emulator.pid} stopped in ${seconds(Date.now() - t0)}\n`);
      }
    }
  }

  const failedChecks = checks.filter((c) => !c.pass);
  if (failedChecks.length > 0) {
    failures.push(`${failedChecks.length} check(s) failed: ${failedChecks.map((c) => `${c.check} on ${c.resource} (expected ${c.expected}, found ${c.found})`).join("; ")}`);
  }
  const totalMs = Date.now() - started;
  const report: RunReport = {
    ok: failures.length === 0, steps, checks, failures, totalMs, budgetMs, outputs, guard, replan, applyTimings, emptied,
    workDir: session?.workDir,
    emulator: session === undefined ? undefined : { pid: session.emulator.pid, endpoint: session.emulator.endpoint, kept: keep },
    env: session?.env ?? {},
  };
  if (session !== undefined) {
    writeFileSync(join(session.workDir, "report.json"), `${JSON.stringify({ ...report, env: undefined }, null, 2)}\n`);
    if (report.ok && !keep) await session.close({ removeWorkDir: true });
  }
  return report;
}

/** "3 to create, 1 to update" from a saved plan. */
function summarizeActions(plan: SavedPlan): string {
  const counts = new Map<string, number>();
  for (const change of plan.json.resource_changes ?? []) {
    const key = change.change.actions.join("+");
    if (key !== "no-op") counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 0 ? "no changes" : [...counts].map(([action, n]) => `${n} to ${action}`).join(", ");
}

/** The re-plan as check rows: one per tolerated difference, one per unexplained change. */
export function replanRows(verdict: ReplanVerdict): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const t of verdict.tolerated) {
    rows.push(row("re-plan: known emulator difference", t.address, "no change (on AWS)",
      `update of ${t.paths.join(", ")}: ${t.differences.map((d) => d.behaviour).join("; ")}`, true));
  }
  for (const u of verdict.unexplained) {
    rows.push(row("re-plan: no perpetual diff", u.address, "no change", u.reason, false));
  }
  if (rows.length === 0) rows.push(row("re-plan: no perpetual diff", "plan", "no change", "no change", true));
  return rows;
}

/** The report's closing text: checks, slowest resources, timing summary, and the verdict. */
export function renderReport(report: RunReport): string {
  const parts: string[] = [];
  if (report.checks.length > 0) parts.push(`\nChecks:\n${checksTable(report.checks)}`);
  const slow = slowestResources(report.applyTimings);
  if (slow !== "") parts.push(`\n${slow}`);
  parts.push(`\nWhere the time went:\n${timingSummary(report.steps, report.totalMs, report.budgetMs)}`);
  if (report.ok) {
    parts.push(`\nOK: deployed, ${report.checks.length} checks passed${report.emulator?.kept ? ", kept running" : ", destroyed, emulator stopped"}.`);
  } else {
    parts.push(`\nFAILED:\n${report.failures.map((f) => `  - ${f}`).join("\n")}`);
    if (report.workDir !== undefined) parts.push(`Logs, plans, state and report.json are in ${report.workDir}`);
  }
  return `${parts.join("\n")}\n`;
}

/** How to reach and stop a kept emulator. */
export function keepInstructions(report: RunReport): string {
  if (report.emulator === undefined || !report.emulator.kept) return "";
  const env = report.env;
  const region = env.AWS_REGION ?? "us-east-1";
  const exports = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_USE_PATH_STYLE", "AWS_REGION", "TF_CLI_CONFIG_FILE"]
    .map((name) => `  export ${name}=${env[name] ?? ""}`);
  const bucket = report.outputs.primary_bucket_name ?? "<bucket>";
  const stackDir = report.workDir === undefined ? "" : join(report.workDir, "cdktf.out", "stacks", "site-storage");
  return [
    "",
    `The emulator is still running: ${report.emulator.endpoint} (pid ${report.emulator.pid}).`,
    "Reach it with these variables (the AWS CLI, the SDKs and Terraform read them):",
    ...exports,
    `  aws s3api get-bucket-encryption --bucket ${bucket} --region ${region}`,
    `  cd ${stackDir} && terraform state list`,
    "Stop it (everything in it is discarded):",
    `  kill ${report.emulator.pid}`,
    `and remove the work folder: rm -rf ${report.workDir}`,
    "",
  ].join("\n");
}

const USAGE = `Usage: npm run local [-- --keep] [-- --port <n>]

Deploys the stack to a local AWS emulator (moto), verifies it, re-plans, destroys it, stops
the emulator. Configuration: SITE_CONFIG or site.config.json (protectData is turned off for
the run). --keep leaves the deployment and the emulator running and prints how to reach them.`;

/** The CLI: parses argv, runs, prints the report; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let keep = false;
  let preferredPort: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--keep") keep = true;
    else if (argv[i] === "--port") {
      preferredPort = Number(argv[++i]);
      if (!Number.isInteger(preferredPort) || preferredPort < 1 || preferredPort > 65535) {
        process.stderr.write(`--port must be a port number from 1 to 65535 (got ${JSON.stringify(argv[i])})\n`);
        return 2;
      }
    } else {
      process.stderr.write(`unknown argument ${JSON.stringify(argv[i])}\n\n${USAGE}\n`);
      return 2;
    }
  }
  const report = await runLocal({ keep, preferredPort });
  process.stdout.write(renderReport(report));
  process.stdout.write(keepInstructions(report));
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
