import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { findTerraform } from "../tools";
import { PlanJson, parsePlanJson } from "./plan-json";

/**
 * Reads a plan given as the JSON of `terraform show -json <planfile>` (a file, or `-` for
 * stdin), or as the saved plan file itself. A saved plan is a zip archive only Terraform can
 * read, in the working directory it was made in (`workingDir`).
 */
export function readPlan(plan: string, workingDir = "."): PlanJson {
  const text = (plan === "-" ? readFileSync(0) : readFileSync(resolve(plan))).toString("utf8");
  if (/^\s*\{/.test(text)) return parsePlanJson(JSON.parse(text), plan);
  const shown = spawnSync(findTerraform(), ["show", "-json", "-no-color", resolve(plan)], {
    cwd: resolve(workingDir),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (shown.status !== 0) {
    throw new Error(
      `terraform show -json ${plan} failed in ${resolve(workingDir)} (use --chdir <the directory the plan was made in>):\n${shown.stderr.trim()}`,
    );
  }
  return parsePlanJson(JSON.parse(shown.stdout), plan);
}
