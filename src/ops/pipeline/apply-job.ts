/**
 * What the CI's apply job does: apply exactly the plan the plan job saved, after a fresh
 * `terraform init` in the same synthesized stack. Terraform itself refuses a saved plan whose
 * state changed since it was made, so what was reviewed is what happens, or nothing does.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { PLAN_FILE, initTerraformIn } from "./plan-folder";

/** Applies the saved plan in `dir`; resolves false (with a message) when there is none. */
export async function applyFromFolder(planDir: string): Promise<boolean> {
  const dir = resolve(planDir);
  const planFile = join(dir, PLAN_FILE);
  if (!existsSync(planFile)) {
    process.stderr.write(
      `apply: no saved plan at ${planFile}. Run npm run plan first (a plan the guard refused is not kept).\n`,
    );
    return false;
  }
  const terraform = await initTerraformIn(dir);
  process.stdout.write(`terraform apply ${planFile}\n`);
  const result = await terraform.apply(planFile);
  process.stdout.write(
    `${result.stdout
      .split("\n")
      .filter((l) => /Apply complete|Outputs:|^\w+ = /.test(l))
      .join("\n")}\n`,
  );
  return true;
}
