/**
 * `npm run apply [-- --dir .plan]`: applies exactly the plan `npm run plan` saved in the plan
 * folder (in CI, restored from the plan job's artifact).
 * Exit 0: applied; 1: nothing to apply or a step failed; 2: bad arguments.
 */
import { applyFromFolder } from "../ops/pipeline/apply-job";
import { DEFAULT_PLAN_DIR } from "../ops/pipeline/plan-folder";
import { parseCommandLine, runCommand } from "./args";

const SPEC = {
  name: "apply",
  usage: `Usage: npm run apply [-- --dir <dir>]

  --dir <dir>   the plan folder npm run plan wrote (default ${DEFAULT_PLAN_DIR})

Exit codes: 0 applied, 1 nothing to apply or failed, 2 bad arguments.`,
  options: { dir: { type: "string" } },
} as const;

/** The command: parse, apply, map the result to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const dir = typeof args.values.dir === "string" ? args.values.dir : DEFAULT_PLAN_DIR;
  return (await applyFromFolder(dir)) ? 0 : 1;
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
