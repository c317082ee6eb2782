/**
 * `npm run local [-- --keep] [--port <n>] [--json <file>]`: deploy to a local AWS emulator,
 * verify, re-plan, destroy, stop the emulator (see `ops/local-run/run-local.ts`).
 * Exit 0: every step and check passed; 1: a step or a check failed; 2: bad arguments.
 */
import { writeFileSync } from "node:fs";
import { runLocal } from "../ops/local-run/run-local";
import { RunReport, keepInstructions, slowestResources, timingSummary } from "../ops/local-run/run-report";
import { parseCommandLine, parsePort, runCommand } from "./args";
import { reportWidth, rowsTable } from "./report-table";

const SPEC = {
  name: "local",
  usage: `Usage: npm run local [-- --keep] [--port <n>] [--json <file>]

Deploys the stack to a local AWS emulator (moto), verifies it, re-plans, destroys it, stops
the emulator. Configuration: SITE_CONFIG or site.config.json (protectData is turned off for
the run, and the state is kept in the run's work folder).

  --keep          leave the deployment and the emulator running and print how to reach them
  --port <n>      the emulator port to try first (another is taken when it is busy)
  --json <file>   also write the run's report (steps, checks, timings) as JSON

Exit codes: 0 every step and check passed, 1 a step or a check failed, 2 bad arguments.`,
  options: { keep: { type: "boolean" }, port: { type: "string" }, json: { type: "string" } },
} as const;

/** The report's closing text: checks, slowest resources, timing summary, and the verdict. */
export function renderReport(report: RunReport): string {
  const parts: string[] = [];
  if (report.checks.length > 0) parts.push(`\nChecks:\n${rowsTable(report.checks, reportWidth(process.stdout))}`);
  if (report.notShown.length > 0)
    parts.push(`\nNot shown here:\n${report.notShown.map((line) => `  - ${line}`).join("\n")}`);
  const slow = slowestResources(report.applyTimings);
  if (slow !== "") parts.push(`\n${slow}`);
  parts.push(`\nWhere the time went:\n${timingSummary(report.steps, report.totalMs)}`);
  if (report.ok) {
    parts.push(
      `\nOK: deployed, ${report.checks.length} checks passed${report.emulator?.kept ? ", kept running" : ", destroyed, emulator stopped"}.`,
    );
  } else {
    parts.push(`\nFAILED:\n${report.failures.map((f) => `  - ${f}`).join("\n")}`);
    if (report.workDir !== undefined) parts.push(`Logs, plans, state and report.json are in ${report.workDir}`);
  }
  return `${parts.join("\n")}\n`;
}

/** The command: parse, run, print the report; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const port = parsePort(SPEC, args.values.port);
  if (!port.ok) return port.exitCode;
  const report = await runLocal({ keep: args.values.keep === true, preferredPort: port.port });
  process.stdout.write(renderReport(report));
  process.stdout.write(keepInstructions(report));
  if (typeof args.values.json === "string") {
    writeFileSync(args.values.json, `${JSON.stringify({ ...report, env: undefined }, null, 2)}\n`);
  }
  return report.ok ? 0 : 1;
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
