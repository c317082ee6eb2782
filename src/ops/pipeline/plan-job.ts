/**
 * What the CI's plan job does, and what a user without GitHub runs by hand: synthesize with the
 * user's configuration, `terraform init`, `terraform plan -out`, the plan guard, and a summary
 * counted by action. A plan the guard refuses is removed, so it cannot be applied by mistake.
 */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readRawConfig } from "../../config/load";
import { formatGuardResult, guardPlan } from "../plan/guard";
import { parsePlanJson } from "../plan/plan-json";
import { renderPlanSummary, summarizePlan } from "../plan/summary";
import { PROJECT_DIR, synthesize, writeConfigFile } from "../terraform/synth";
import { PLAN_FILE, initTerraformIn, planOutDir, planStackDir } from "./plan-folder";

/** Options of {@link planIntoFolder}. */
export interface PlanJobOptions {
  /** The plan folder; emptied first. */
  readonly dir: string;
  /** Let a plan that deletes or replaces protected resources pass (they are still listed). */
  readonly allowDestroy: boolean;
}

/** Plans into the folder; resolves true when the guard let the plan pass. */
export async function planIntoFolder(options: PlanJobOptions): Promise<boolean> {
  const dir = resolve(options.dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // The user's configuration as main.ts reads it, copied into the plan folder: the plan records
  // exactly the settings it was made from.
  const user = readRawConfig(process.env, PROJECT_DIR);
  process.stdout.write(`synth (config: ${user.source})\n`);
  await synthesize({ outDir: planOutDir(dir), configFile: writeConfigFile(dir, user.raw) });

  const terraform = await initTerraformIn(dir);
  process.stdout.write("terraform plan\n");
  await terraform.plan(join(dir, PLAN_FILE));
  const plan = parsePlanJson(await terraform.showJson(join(dir, PLAN_FILE)), PLAN_FILE);
  writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));

  // The folder is what CI carries to the apply job. Terraform's .terraform (the provider
  // binaries, hundreds of MB) does not belong in it: an artifact store drops file modes, so a
  // restored provider cannot run. The apply job's `terraform init` installs it again, against
  // the lock file kept beside the stack.
  rmSync(join(planStackDir(dir), ".terraform"), { recursive: true, force: true });

  const guard = guardPlan(plan, { allowDestroy: options.allowDestroy });
  const summary = renderPlanSummary(summarizePlan(plan), formatGuardResult(guard));
  writeFileSync(join(dir, "summary.md"), summary);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
  process.stdout.write(`\n${summary}\n`);
  if (!guard.ok) {
    rmSync(join(dir, PLAN_FILE), { force: true });
    return false;
  }
  process.stdout.write(`Saved plan: ${join(dir, PLAN_FILE)}. Apply exactly this plan with: npm run apply\n`);
  return true;
}
