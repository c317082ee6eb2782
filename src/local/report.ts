/**
 * What a local run prints: the table of checks, the timing summary (where the time goes) and
 * the slowest resources of the apply. Pure functions from data to text; the runner prints.
 */
import type { CheckRow } from "./verify";

/** One step of the run and how long it took. */
export interface StepTiming {
  readonly name: string;
  readonly ms: number;
  readonly ok: boolean;
  /** A few words: what it did, or why it failed. */
  readonly detail?: string;
}

/** A resource operation Terraform reported with its duration. */
export interface ResourceTiming {
  readonly address: string;
  /** "Creation", "Destruction", "Modifications". */
  readonly operation: string;
  readonly seconds: number;
}

/** Seconds with one decimal: `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Cuts a cell to `width` characters, marking the cut. */
function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/**
 * A plain-text table: a header, a rule, then the rows; each column as wide as its longest cell
 * up to `maxWidth` (longer cells are cut: the full values are in the JSON report).
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = 60): string {
  const widths = header.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...rows.map((r) => r[i].replace(/\s+/g, " ").length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => fit(c, widths[i]).padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The checks as a table: check, resource, expected, found, PASS/FAIL. */
export function checksTable(rows: readonly CheckRow[]): string {
  return table(["check", "resource", "expected", "found", "result"],
    rows.map((r) => [r.check, r.resource, r.expected, r.found, r.pass ? "pass" : "FAIL"]), 48);
}

/** Each step's time and share of the total, slowest first, and the total against the budget. */
export function timingSummary(steps: readonly StepTiming[], totalMs: number, budgetMs: number): string {
  const rows = [...steps].sort((a, b) => b.ms - a.ms).map((s) => [
    s.name, seconds(s.ms), `${totalMs > 0 ? Math.round((100 * s.ms) / totalMs) : 0}%`, s.detail ?? "",
  ]);
  const verdict = totalMs <= budgetMs ? "within" : "OVER";
  return `${table(["step", "time", "share", "note"], rows, 70)}\n`
    + `total ${seconds(totalMs)} (${verdict} the ${seconds(budgetMs)} budget)`;
}

/**
 * Per-resource durations from Terraform's apply/destroy output
 * (`<address>: Creation complete after 55s [id=…]`), slowest first.
 */
export function resourceTimings(output: string): ResourceTiming[] {
  const timings: ResourceTiming[] = [];
  const pattern = /^(\S+): (Creation|Destruction|Modifications) complete after (?:(\d+)m)?(\d+)s/gm;
  for (const match of output.matchAll(pattern)) {
    timings.push({ address: match[1], operation: match[2], seconds: Number(match[3] ?? 0) * 60 + Number(match[4]) });
  }
  return timings.sort((a, b) => b.seconds - a.seconds);
}

/** The slowest resources as lines, with a note on the lifecycle-configuration wait when it shows. */
export function slowestResources(timings: readonly ResourceTiming[], count = 5): string {
  if (timings.length === 0) return "";
  const lines = timings.slice(0, count).map((t) => `  ${String(t.seconds).padStart(3)} s  ${t.operation.toLowerCase()} ${t.address}`);
  const lifecycle = timings.filter((t) => t.address.startsWith("aws_s3_bucket_lifecycle_configuration.") && t.seconds >= 30);
  const note = lifecycle.length === 0 ? [] : [
    `  (${lifecycle.length} lifecycle configuration(s), concurrently: the AWS provider waits until it reads the same rules`,
    "   back 10 times in a row, 5 s apart after a 10 s delay, before it reports them created; inherent to the provider)",
  ];
  return ["Slowest resources:", ...lines, ...note].join("\n");
}
