import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { TerraformError } from "../terraform/errors";
import { Terraform } from "../terraform/runner";
import { findTerraform } from "../tools";
import { PlanJson, parsePlanJson } from "./plan-json";

/**
 * Reads a plan given as the JSON of `terraform show -json <planfile>` (a file, or `-` for
 * stdin), or as the saved plan file itself. A saved plan is a zip archive only Terraform can
 * read, in the working directory it was made in (`workingDir`).
 */
export async function readPlan(plan: string, workingDir = "."): Promise<PlanJson> {
  const text = (plan === "-" ? readFileSync(0) : readFileSync(resolve(plan))).toString("utf8");
  if (/^\s*\{/.test(text)) return parsePlanJson(JSON.parse(text), plan);
  const terraform = new Terraform({ bin: findTerraform(), cwd: resolve(workingDir), env: process.env });
  try {
    return parsePlanJson(await terraform.showJson(resolve(plan)), plan);
  } catch (error) {
    if (!(error instanceof TerraformError)) throw error;
    throw new Error(
      `terraform show -json ${plan} failed in ${resolve(workingDir)} (use --chdir <the directory the plan was made in>):\n${error.diagnostics}`,
    );
  }
}
