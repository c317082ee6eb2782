/**
 * `npm run apply [-- --dir .plan]`: applies exactly the plan `npm run plan` saved, after a
 * fresh `terraform init` in the same synthesized stack (the CI's apply job restores that folder
 * from the plan job). Terraform itself refuses a saved plan whose state changed since it was
 * made, so what was reviewed is what happens, or nothing does.
 * Exit 0: applied; 1: nothing to apply or a step failed; 2: bad arguments.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Terraform } from "../local/terraform";
import { findProviderMirror, findTerraform, pinnedProviderVersion, writeCliConfig } from "../local/tools";
import { PLAN_FILE, parsePlanArgs, stackDirIn } from "./plan-files";

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parsePlanArgs(argv, []);
  } catch (error) {
    process.stderr.write(`apply: ${(error as Error).message}\nUsage: npm run apply -- [--dir <dir>]\n`);
    return 2;
  }
  const dir = resolve(args.dir);
  const planFile = join(dir, PLAN_FILE);
  if (!existsSync(planFile)) {
    process.stderr.write(`apply: no saved plan at ${planFile}. Run npm run plan first (a plan the guard refused is not kept).\n`);
    return 1;
  }
  const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: writeCliConfig(dir, findProviderMirror(pinnedProviderVersion())) };
  const terraform = new Terraform({ bin: findTerraform(), cwd: stackDirIn(dir), env, logDir: join(dir, "logs") });
  process.stdout.write("terraform init\n");
  await terraform.init();
  process.stdout.write(`terraform apply ${planFile}\n`);
  const result = await terraform.apply(planFile);
  process.stdout.write(`${result.stdout.split("\n").filter((l) => /Apply complete|Outputs:|^\w+ = /.test(l)).join("\n")}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code), (error: Error) => {
  process.stderr.write(`apply: ${error.message}\n`);
  process.exitCode = 1;
});
