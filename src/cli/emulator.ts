/**
 * `npm run emulator [-- --dir .emulator] [--port <n>]`: starts the local AWS emulator for your
 * own commands and keeps it running until Ctrl-C (see `ops/emulator/user-session.ts`).
 * Exit 130 or 143 when stopped by a signal; 1 when it cannot start; 2 on bad arguments.
 */
import { join, relative } from "node:path";
import { DEFAULT_EMULATOR_DIR, openUserSession } from "../ops/emulator/user-session";
import { PROJECT_DIR } from "../ops/terraform/synth";
import { parseCommandLine, parsePort, runCommand } from "./args";

const SPEC = {
  name: "emulator",
  usage: `Usage: npm run emulator [-- --dir <dir>] [--port <n>]

Starts moto_server on a free loopback port and writes, in <dir> (default ${DEFAULT_EMULATOR_DIR}), the
variables that point Terraform, cdktf, the AWS SDK and CLI at it. Runs until Ctrl-C, which stops
the emulator: everything deployed to it is discarded.

  --dir <dir>    the folder for env, terraform.tfrc, site.config.json and the state (emptied first)
  --port <n>     the port to try first (another is taken when it is busy)`,
  options: { dir: { type: "string" }, port: { type: "string" } },
} as const;

/** The command: start, print how to use it, then wait for a signal (the cleanup stops moto). */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const port = parsePort(SPEC, args.values.port);
  if (!port.ok) return port.exitCode;
  const session = await openUserSession({
    dir: typeof args.values.dir === "string" ? args.values.dir : DEFAULT_EMULATOR_DIR,
    preferredPort: port.port,
  });
  // Paths as a user in the project folder types them: relative inside it, absolute outside.
  const shown = (path: string) => (relative(PROJECT_DIR, path).startsWith("..") ? path : relative(PROJECT_DIR, path));
  const envFile = shown(session.envFile);
  const out = shown(join(session.dir, "cdktf.out"));
  process.stdout.write(
    [
      `The emulator is running at ${session.emulator.endpoint} (pid ${session.emulator.pid}). In another terminal:`,
      `  . ${envFile}`,
      `  npx cdktf deploy site-storage --auto-approve --skip-provider-lock --output ${out}`,
      `  npx cdktf output site-storage --skip-synth --output ${out}`,
      "  npm run verify",
      "Ctrl-C stops it; everything deployed to it goes with it.",
      "emulator ready",
      "",
    ].join("\n"),
  );
  await new Promise<never>(() => undefined);
  return 0;
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
