/**
 * The plan folder: what `npm run plan` leaves and `npm run apply` reads, in CI carried from the
 * plan job to the apply job as an artifact.
 *
 *   <dir>/site.config.json   the configuration the plan was made from
 *   <dir>/out/stacks/site-storage/   the synthesized stack: Terraform's working directory
 *   <dir>/tfplan             the saved plan (removed when the guard refuses it)
 *   <dir>/plan.json          `terraform show -json tfplan`
 *   <dir>/summary.md         the summary by action, with the guard's verdict
 *   <dir>/terraform.tfrc     the Terraform CLI configuration (provider mirror or registry)
 */
import { join } from "node:path";
import { stackDirIn } from "../terraform/synth";

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
