/**
 * `npm run check [-- --json <file>]`: the rule pack's verdict on the app as `main.ts` builds it
 * from the settings (site.config.json or SITE_CONFIG): every rule's result on every resource as
 * a table, then suppressions, warnings and errors. Synthesizes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildApp } from "../infra/app";
import { ConfigError } from "../config/errors";
import { loadSettings } from "../config/load";
import {
  anyFails,
  formatErrors,
  formatSummary,
  formatSuppressed,
  formatTable,
  formatWarnings,
  toJson,
} from "../rules/rule-report";
import { parseCommandLine, runCommand } from "./args";

const SPEC = {
  name: "check",
  usage: `Usage: npm run check [-- --json <file>]

  --json <file>   also write every result, the rule catalog and the findings as JSON
                  (each rule by ID and by name: its file's name in src/rules/checks/)

Exit codes: 0 no error finding, 1 an error finding or a bad suppression (synth would fail),
2 bad arguments or settings.`,
  options: { json: { type: "string" } },
} as const;

/** Runs the check; returns the exit code. */
export function runCheck(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const json = typeof args.values.json === "string" ? args.values.json : undefined;
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
    process.stdout.write(
      `${formatTable(reports)}\n${formatSuppressed(reports)}${formatWarnings(reports)}${formatErrors(reports)}${formatSummary(reports)}`,
    );
    if (json !== undefined) {
      writeFileSync(json, `${JSON.stringify(toJson(reports, pack.rules), null, 2)}\n`);
      process.stdout.write(`JSON report written to ${json}\n`);
    }
    return anyFails(reports) ? 1 : 0;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) runCommand(SPEC.name, () => runCheck(process.argv.slice(2)));
