/**
 * `npm run plan [-- --dir .plan] [--allow-destroy]`: synthesize, init, plan, guard and summarize
 * into a plan folder (see `ops/pipeline/plan-folder.ts`); `npm run apply` applies exactly that plan.
 * Exit 0: planned and guarded; 1: the guard refused or a step failed; 2: bad arguments.
 */
import { DEFAULT_PLAN_DIR } from "../ops/pipeline/plan-folder";
import { planIntoFolder } from "../ops/pipeline/plan-job";
import { parseCommandLine, runCommand } from "./args";

const SPEC = {
  name: "plan",
  usage: `Usage: npm run plan [-- --dir <dir>] [--allow-destroy]

  --dir <dir>       the plan folder (default ${DEFAULT_PLAN_DIR}), emptied first
  --allow-destroy   let the plan pass although it deletes or replaces a bucket, key,
                    replication or encryption configuration (they are still listed)

Exit codes: 0 planned and guarded, 1 refused or failed, 2 bad arguments.`,
  options: { dir: { type: "string" }, "allow-destroy": { type: "boolean" } },
} as const;

/** The command: parse, plan, map the verdict to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const dir = typeof args.values.dir === "string" ? args.values.dir : DEFAULT_PLAN_DIR;
  return (await planIntoFolder({ dir, allowDestroy: args.values["allow-destroy"] === true })) ? 0 : 1;
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
