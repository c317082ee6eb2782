/**
 * Renders rule reports for people (a table, failure and warning lines) and for tools (JSON).
 * Pure functions returning strings and data: writing them anywhere is the caller's job.
 */
import { textTable } from "../common/text";
import { Finding, RuleEvaluation, RuleReport, failsSynth } from "./findings";
import { formatFinding, formatSuppressionProblem } from "./messages";
import { RuleDefinition } from "./rule";

/** Version of the JSON shape `toJson` produces; bump on breaking changes. */
const REPORT_FORMAT_VERSION = 1;

const COLUMNS = ["RULE", "LEVEL", "RESOURCE", "RESULT", "CHECKOV", "SECURITY HUB"] as const;

/** One evaluation as the table's cells, in COLUMNS order. */
function evaluationCells(e: RuleEvaluation): string[] {
  return [e.ruleId, e.level, e.resourcePath, e.result, e.checkov.join(",") || "-", e.securityHub.join(",") || "-"];
}

/** Every rule's result on every resource, one line each, columns aligned. */
export function formatTable(reports: readonly RuleReport[]): string {
  return `${textTable(
    COLUMNS,
    reports.flatMap((r) => r.evaluations.map(evaluationCells)),
  )}\n`;
}

/** Counts per result and level, e.g. "83 results: 60 compliant, 23 not applicable, 0 suppressed; 0 errors, 0 warnings". */
export function formatSummary(reports: readonly RuleReport[]): string {
  const all = reports.flatMap((r) => r.evaluations);
  const count = (result: string) => all.filter((e) => e.result === result).length;
  const errors = reports.reduce((n, r) => n + r.errors.length + r.suppressionProblems.length, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  return (
    `${reports.map((r) => r.stack).join(", ")}: ${all.length} results: ${count("compliant")} compliant, ` +
    `${count("not-applicable")} not applicable, ${count("suppressed")} suppressed, ${count("non-compliant")} non-compliant; ` +
    `${errors} error(s), ${warnings} warning(s)\n`
  );
}

function lines(title: string, items: readonly string[]): string {
  return items.length === 0 ? "" : `${title}\n${items.map((i) => `  ${i}`).join("\n")}\n`;
}

/** Error findings and suppression problems, one line each (empty when there are none). */
export function formatErrors(reports: readonly RuleReport[]): string {
  const items = reports.flatMap((r) => [
    ...r.errors.map(formatFinding),
    ...r.suppressionProblems.map(formatSuppressionProblem),
  ]);
  return lines(`Rule pack: ${items.length} error(s):`, items);
}

/** Warning findings, one line each (empty when there are none). */
export function formatWarnings(reports: readonly RuleReport[]): string {
  const items = reports.flatMap((r) => r.warnings.map((w: Finding) => formatFinding(w)));
  return lines(`Rule pack: ${items.length} warning(s):`, items);
}

/** Suppressed results with the reason given (empty when there are none). */
export function formatSuppressed(reports: readonly RuleReport[]): string {
  const items = reports.flatMap((r) =>
    r.evaluations
      .filter((e) => e.result === "suppressed")
      .map((e) => `${e.ruleId} on ${e.resourcePath}, suppressed at ${e.suppression?.path}: ${e.suppression?.reason}`),
  );
  return lines(`Rule pack: ${items.length} suppressed:`, items);
}

/** True when any report fails synth. */
export function anyFails(reports: readonly RuleReport[]): boolean {
  return reports.some(failsSynth);
}

/**
 * The reports and the rule catalog as JSON-ready data (what `npm run check -- --json` writes).
 * A rule's `rule` (in `rules` and in each result) is its name: its file's name in
 * `src/rules/checks/`, such as `s3-bucket-versioning-enabled`.
 */
export function toJson(reports: readonly RuleReport[], rules: readonly RuleDefinition[]): object {
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    passed: !anyFails(reports),
    rules: rules.map((r) => ({
      id: r.id,
      rule: r.evaluate.name,
      level: r.level,
      subject: r.subject,
      message: r.message,
      rationale: r.rationale,
      fix: r.fix,
      checkov: r.checkov,
      securityHub: r.securityHub,
    })),
    stacks: reports.map((r) => ({
      stack: r.stack,
      results: r.evaluations,
      errors: r.errors,
      warnings: r.warnings,
      suppressionProblems: r.suppressionProblems,
    })),
  };
}
