/**
 * The plan folder: what `npm run plan` leaves and `npm run apply` reads, in CI carried from the
 * plan job to the apply job as an artifact, and Terraform initialized in it for either job.
 *
 *   <dir>/site.config.json   the configuration the plan was made from
 *   <dir>/out/stacks/site-storage/   the synthesized stack: Terraform's working directory
 *   <dir>/tfplan             the saved plan (removed when the guard refuses it)
 *   <dir>/plan.json          `terraform show -json tfplan`
 *   <dir>/summary.md         the summary by action, with the guard's verdict
 *   <dir>/terraform.tfrc     the Terraform CLI configuration (provider mirror or registry)
 */
import { join } from "node:path";
import { writeCliConfig } from "../terraform/cli-config";
import { terraformEnv } from "../terraform/env";
import { Terraform } from "../terraform/runner";
import { stackDirIn } from "../terraform/synth";
import { findProviderMirror, findTerraform, pinnedProviderVersion } from "../tools";

/** Where `npm run plan` leaves its work, and `npm run apply` finds it. */
export const DEFAULT_PLAN_DIR = ".plan";

/** The saved plan's file name in that folder. */
export const PLAN_FILE = "tfplan";

/** The synthesized output inside the plan folder. */
export function planOutDir(planDir: string): string {
  return join(planDir, "out");
}

/** The synthesized storage stack inside the plan folder: Terraform's working directory. */
export function planStackDir(planDir: string): string {
  return stackDirIn(planOutDir(planDir));
}

/**
 * Terraform in the plan folder's stack, after `terraform init`: its CLI configuration (provider
 * mirror or registry) written into the folder, its logs in `<dir>/logs`. Each job inits afresh,
 * since the apply job runs on another machine than the plan job that made the folder.
 */
export async function initTerraformIn(planDir: string): Promise<Terraform> {
  const env = terraformEnv({
    base: process.env,
    cliConfigFile: writeCliConfig(planDir, findProviderMirror(pinnedProviderVersion())),
  });
  const terraform = new Terraform({
    bin: findTerraform(),
    cwd: planStackDir(planDir),
    env,
    logDir: join(planDir, "logs"),
  });
  process.stdout.write("terraform init\n");
  await terraform.init();
  return terraform;
}
