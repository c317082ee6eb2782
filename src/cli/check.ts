// `npm run check [-- --json <file>]`: the rule pack's verdict on the app as `main.ts` builds it
// from the settings (site.config.json or SITE_CONFIG): every rule's result on every resource as
// a table, then suppressions, warnings and errors. `--json <file>` also writes the same as JSON.
// Exits 1 when any error finding or bad suppression would fail synth, 2 on bad arguments or
// settings. Synthesizes nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../app";
import { ConfigError } from "../config/errors";
import { loadSettings } from "../config/load";
import {
  anyFails, formatErrors, formatSummary, formatSuppressed, formatTable, formatWarnings, toJson,
} from "../rules/report";

const USAGE = "usage: npm run check [-- --json <file>]";

/** The parsed command line, or what is wrong with it. */
export function parseArgs(argv: readonly string[]): { json?: string } | { error: string } {
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") {
      const file = argv[i + 1];
      if (file === undefined || file.startsWith("--")) return { error: `--json needs a file name\n${USAGE}` };
      json = file;
      i++;
    } else if (argv[i] === "--help" || argv[i] === "-h") {
      return { error: USAGE };
    } else {
      return { error: `unknown argument "${argv[i]}"\n${USAGE}` };
    }
  }
  return json === undefined ? {} : { json };
}

/** Runs the check; returns the exit code. */
export function runCheck(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const args = parseArgs(argv);
  if ("error" in args) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  let settings;
  try {
    settings = loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  // The App needs an output directory; a throwaway one, since nothing is synthesized.
  const outdir = mkdtempSync(join(tmpdir(), "site-check-"));
  try {
    const app = new App({ outdir });
    const pack = buildApp(app, settings);
    const reports = pack.stacks.map((stack) => pack.report(stack));
    process.stdout.write(`${formatTable(reports)}\n${formatSuppressed(reports)}${formatWarnings(reports)}${formatErrors(reports)}${formatSummary(reports)}`);
    if (args.json !== undefined) {
      writeFileSync(args.json, `${JSON.stringify(toJson(reports, pack.rules), null, 2)}\n`);
      process.stdout.write(`JSON report written to ${args.json}\n`);
    }
    return anyFails(reports) ? 1 : 0;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // `npm run check | head`: a reader that stops early is not an error of the check.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  process.exitCode = runCheck(process.argv.slice(2));
}
