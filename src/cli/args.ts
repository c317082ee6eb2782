/**
 * The one argument parser of every command: node's `util.parseArgs`, plus what each command
 * needs alike: `--help` prints the usage and exits 0, a bad argument prints what is wrong and
 * the usage and exits 2, and a failure that escapes the command is one line and exit 1.
 */
import { ParseArgsConfig, parseArgs } from "node:util";

/** What a command accepts. */
export interface CommandSpec {
  /** The command as users type it: `npm run plan`. */
  readonly name: string;
  /** The usage text printed by `--help` and after a bad argument. */
  readonly usage: string;
  /** Its options (`--help` is added). */
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /**
   * How many positional arguments it takes, at most.
   * @default 0
   */
  readonly maxPositionals?: number;
}

/** Parsed arguments, or the exit code when the command must not run (help shown, or bad input). */
export type ParsedArgs =
  | {
      readonly run: true;
      readonly values: Record<string, string | boolean | undefined>;
      readonly positionals: readonly string[];
    }
  | { readonly run: false; readonly exitCode: 0 | 2 };

/** Parses `argv` against `spec`; prints the usage for `--help` (exit 0) or a bad argument (exit 2). */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: (spec.maxPositionals ?? 0) > 0,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`${spec.name}: ${(error as Error).message}\n\n${spec.usage}\n`);
    return { run: false, exitCode: 2 };
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${spec.usage}\n`);
    return { run: false, exitCode: 0 };
  }
  if (parsed.positionals.length > (spec.maxPositionals ?? 0)) {
    process.stderr.write(
      `${spec.name}: unexpected argument ${JSON.stringify(parsed.positionals[spec.maxPositionals ?? 0])}\n\n${spec.usage}\n`,
    );
    return { run: false, exitCode: 2 };
  }
  return {
    run: true,
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  };
}

/** A `--port` value: absent, or the port; `ok: false` when it is not a whole number from 1 to 65535. */
export type ParsedPort =
  { readonly ok: true; readonly port: number | undefined } | { readonly ok: false; readonly exitCode: 2 };

/**
 * Reads a `--port` option of `spec`'s command. A value that is not a port prints what is wrong
 * and the usage (exit 2), as a bad argument does.
 */
export function parsePort(spec: CommandSpec, value: string | boolean | undefined): ParsedPort {
  if (typeof value !== "string") return { ok: true, port: undefined };
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(
      `${spec.name}: --port must be a port number from 1 to 65535 (got ${JSON.stringify(value)})\n\n${spec.usage}\n`,
    );
    return { ok: false, exitCode: 2 };
  }
  return { ok: true, port };
}

/**
 * Runs a command's main function as the process: its result is the exit code; an error that
 * escapes it is printed as one line naming the command, with exit code 1. A reader that stops
 * early (`| head`) is not an error of the command.
 */
export function runCommand(name: string, main: () => Promise<number> | number): void {
  // The AWS SDK's notice that its releases after January 2027 need Node.js 22 concerns this
  // project's maintainers, not a user running a command: the SDK's own switch turns off that one
  // notice (every other warning and error still shows). Set it to "false" to see the notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`${name}: ${(error as Error)?.message ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
