import { join, resolve } from "node:path";
import { STACK_NAMES } from "../config/names";

/** The project root (where main.ts is). */
export const PROJECT_DIR = resolve(__dirname, "..", "..");

/** Where `npm run plan` leaves its work, and `npm run apply` finds it. */
export const DEFAULT_PLAN_DIR = ".plan";

/** The saved plan's file name in that folder. */
export const PLAN_FILE = "tfplan";

/** The synthesized storage stack inside the plan folder: Terraform's working directory. */
export function stackDirIn(planDir: string): string {
  return join(planDir, "out", "stacks", STACK_NAMES.storage);
}

/** `--dir <dir>` plus the boolean flags a command accepts; anything else is an error. */
export function parsePlanArgs(argv: readonly string[], allowedFlags: readonly string[]): { dir: string; flags: Set<string> } {
  let dir = DEFAULT_PLAN_DIR;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dir") {
      const value = argv[++i];
      if (value === undefined) throw new Error("--dir needs a folder");
      dir = value;
    } else if (allowedFlags.includes(arg)) flags.add(arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  return { dir, flags };
}
