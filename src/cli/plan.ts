/**
 * `npm run plan [-- --dir .plan] [--allow-destroy]`: what the CI's plan job runs, and what a
 * user without GitHub runs by hand. Synthesizes with the user's configuration, runs
 * `terraform init` and `terraform plan -out`, applies the plan guard, and writes a summary
 * counted by action, to the terminal, to `<dir>/summary.md` and, in GitHub Actions, to the job
 * summary. Leaves in `<dir>`: the synthesized stack (Terraform's working directory), the saved
 * plan `tfplan`, `plan.json`. `npm run apply` applies exactly that plan.
 * Exit 0: planned and guarded; 1: the guard refused or a step failed; 2: bad arguments.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readRawConfig } from "../config/load";
import { parsePlanJson } from "../local/plan-json";
import { formatGuardResult, guardPlan } from "../local/plan-guard";
import { writeRunConfig } from "../local/run-config";
import { synthesize } from "../local/synth";
import { Terraform } from "../local/terraform";
import { findProviderMirror, findTerraform, pinnedProviderVersion, writeCliConfig } from "../local/tools";
import { renderPlanSummary, summarizePlan } from "./plan-summary";
import { PLAN_FILE, PROJECT_DIR, parsePlanArgs, stackDirIn } from "./plan-files";

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parsePlanArgs(argv, ["--allow-destroy"]);
  } catch (error) {
    process.stderr.write(`plan: ${(error as Error).message}\nUsage: npm run plan -- [--dir <dir>] [--allow-destroy]\n`);
    return 2;
  }
  const dir = resolve(args.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // The user's configuration as main.ts reads it, copied into the plan folder: the plan records
  // exactly the settings it was made from.
  const user = readRawConfig(process.env, PROJECT_DIR);
  const configFile = writeRunConfig(dir, user.raw);
  process.stdout.write(`synth (config: ${user.source})\n`);
  await synthesize({ projectDir: PROJECT_DIR, outDir: join(dir, "out"), configFile });

  const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: writeCliConfig(dir, findProviderMirror(pinnedProviderVersion())) };
  const terraform = new Terraform({ bin: findTerraform(), cwd: stackDirIn(dir), env, logDir: join(dir, "logs") });
  process.stdout.write("terraform init\n");
  await terraform.init();
  process.stdout.write("terraform plan\n");
  await terraform.plan(join(dir, PLAN_FILE));
  const plan = parsePlanJson(await terraform.showJson(join(dir, PLAN_FILE)), PLAN_FILE);
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));

  const guard = guardPlan(plan, { allowDestroy: args.flags.has("--allow-destroy") });
  const summary = renderPlanSummary(summarizePlan(plan), formatGuardResult(guard));
  writeFileSync(join(dir, "summary.md"), summary);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
  process.stdout.write(`\n${summary}\n`);
  if (!guard.ok) {
    // A refused plan must not be applied by mistake: remove it.
    rmSync(join(dir, PLAN_FILE), { force: true });
    return 1;
  }
  process.stdout.write(`Saved plan: ${join(dir, PLAN_FILE)}. Apply exactly this plan with: npm run apply\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code), (error: Error) => {
  process.stderr.write(`plan: ${error.message}\n`);
  process.exitCode = 1;
});
