/**
 * Plain-text rendering shared by every report a command prints: one table renderer, one way to
 * quote another tool's output.
 */

/** Options of {@link textTable}. */
export interface TableOptions {
  /**
   * Widest a column may grow; longer cells are cut and end with "…" (the full values belong in
   * a JSON report).
   * @default no limit
   */
  readonly maxWidth?: number;
}

/** A cell on one line: runs of whitespace become one space, then cut to `width`. */
function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** A header, a rule of dashes, then the rows, each column as wide as its widest cell. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const limit = options.maxWidth ?? Number.POSITIVE_INFINITY;
  const widths = header.map((h, i) =>
    Math.min(limit, Math.max(h.length, ...rows.map((r) => r[i].replace(/\s+/g, " ").length))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => fit(c, widths[i]).padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Indents every line by four spaces, for messages that quote another tool's output. */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
