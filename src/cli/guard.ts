/**
 * `npm run guard -- <plan> [--allow-destroy] [--chdir <dir>]`: the plan guard on the command line.
 * Exit 0: the plan may be applied; 1: refused; 2: bad input.
 */
import { formatGuardResult, guardPlan } from "../ops/plan/guard";
import { PlanJson } from "../ops/plan/plan-json";
import { readPlan } from "../ops/plan/read-plan";
import { parseCommandLine, runCommand } from "./args";

const SPEC = {
  name: "guard",
  usage: `Usage: npm run guard -- <plan> [--allow-destroy] [--chdir <dir>]

  <plan>           terraform show -json output of a saved plan (a .json file, or - for stdin),
                   or the saved plan file itself (terraform show -json is then run for you)
  --allow-destroy  let the plan pass even though it deletes or replaces a bucket, a KMS key,
                   a replication or an encryption configuration (they are still listed)
  --chdir <dir>    the Terraform working directory the plan file was made in (default: .)

Exit codes: 0 the plan may be applied, 1 refused, 2 bad input.`,
  options: { "allow-destroy": { type: "boolean" }, chdir: { type: "string" } },
  maxPositionals: 1,
} as const;

/** The command: read the plan, judge it, print the verdict; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const [file] = args.positionals;
  if (file === undefined) {
    process.stderr.write(`guard: no plan given\n\n${SPEC.usage}\n`);
    return 2;
  }
  let plan: PlanJson;
  try {
    plan = await readPlan(file, typeof args.values.chdir === "string" ? args.values.chdir : ".");
  } catch (error) {
    process.stderr.write(`guard: ${(error as Error).message}\n\n${SPEC.usage}\n`);
    return 2;
  }
  const result = guardPlan(plan, { allowDestroy: args.values["allow-destroy"] === true });
  (result.ok ? process.stdout : process.stderr).write(`${formatGuardResult(result)}\n`);
  return result.ok ? 0 : 1;
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
