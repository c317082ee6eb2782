/**
 * `npm run guard -- <plan> [--allow-destroy] [--chdir <dir>]`: the plan guard on the command line.
 * `<plan>` is either the JSON of `terraform show -json <planfile>` or a saved plan file itself
 * (then `terraform show -json` is run in `--chdir`, the directory where the plan was made,
 * default: the current one). Exit 0: the plan may be applied; 1: refused; 2: bad input.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parsePlanJson, PlanJson } from "./plan-json";
import { formatGuardResult, guardPlan } from "./plan-guard";
import { findTerraform } from "./tools";

const USAGE = `Usage: npm run guard -- <plan> [--allow-destroy] [--chdir <dir>]

  <plan>           terraform show -json output of a saved plan (a .json file, or - for stdin),
                   or the saved plan file itself (terraform show -json is then run for you)
  --allow-destroy  let the plan pass even though it deletes or replaces a bucket, a KMS key,
                   a replication or an encryption configuration (they are still listed)
  --chdir <dir>    the Terraform working directory the plan file was made in (default: .)

Exit codes: 0 the plan may be applied, 1 refused, 2 bad input.`;

/** Parsed command line. */
export interface GuardArgs {
  readonly plan: string;
  readonly allowDestroy: boolean;
  readonly chdir: string;
}

/** Parses argv (without node and the script); throws a usage message on anything unknown. */
export function parseGuardArgs(argv: readonly string[]): GuardArgs {
  let plan: string | undefined;
  let allowDestroy = false;
  let chdir = ".";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--allow-destroy") allowDestroy = true;
    else if (arg === "--chdir") {
      const dir = argv[++i];
      if (dir === undefined) throw new Error("--chdir needs a directory");
      chdir = dir;
    } else if (arg.startsWith("--") ) throw new Error(`unknown option ${arg}`);
    else if (plan === undefined) plan = arg;
    else throw new Error(`unexpected argument ${arg} (one plan at a time)`);
  }
  if (plan === undefined) throw new Error("no plan given");
  return { plan, allowDestroy, chdir };
}

/** Reads the plan: JSON as is, anything else through `terraform show -json`. */
export function loadPlan(args: GuardArgs): PlanJson {
  const raw = args.plan === "-" ? readFileSync(0) : readFileSync(resolve(args.plan));
  const text = raw.toString("utf8");
  if (/^\s*\{/.test(text)) return parsePlanJson(JSON.parse(text), args.plan);
  // A saved plan is a zip archive: only Terraform can read it, in the directory it was made in.
  const shown = spawnSync(findTerraform(), ["show", "-json", "-no-color", resolve(args.plan)], {
    cwd: resolve(args.chdir), encoding: "utf8", maxBuffer: 256 * 1024 * 1024,
  });
  if (shown.status !== 0) {
    throw new Error(`terraform show -json ${args.plan} failed in ${resolve(args.chdir)} (use --chdir <the directory the plan was made in>):\n${shown.stderr.trim()}`);
  }
  return parsePlanJson(JSON.parse(shown.stdout), args.plan);
}

/** Runs the guard for argv and returns the exit code; prints the verdict. */
export function main(argv: readonly string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let args: GuardArgs;
  let plan: PlanJson;
  try {
    args = parseGuardArgs(argv);
    plan = loadPlan(args);
  } catch (error) {
    process.stderr.write(`guard: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const result = guardPlan(plan, { allowDestroy: args.allowDestroy });
  (result.ok ? process.stdout : process.stderr).write(`${formatGuardResult(result)}\n`);
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
