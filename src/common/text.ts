/**
 * Plain-text rendering shared by every report a command prints: one table renderer, one way to
 * show where two long values differ, one way to quote another tool's output.
 */

/** Options of {@link textTable}. */
export interface TableOptions {
  /**
   * Widest a column may grow; longer cells are cut and end with "…" (the full values belong in
   * a JSON report).
   * @default no limit
   */
  readonly maxWidth?: number;
  /**
   * Widest the whole table may be, separators included: the widest columns give up characters
   * until it fits (none narrower than its header or 8 characters).
   * @default no limit
   */
  readonly width?: number;
  /**
   * Per column, the narrowest it may become when the table is narrowed to `width` (the columns
   * that matter most keep their room; the others give it up first).
   * @default each column's header, or 8 characters, whichever is wider
   */
  readonly minWidths?: readonly number[];
}

/** Runs of whitespace as one space: a cell is one line. */
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

/** A cell on one line, cut to `width`. */
function fit(text: string, width: number): string {
  const line = flat(text);
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

const SEPARATOR = "  ";
const NARROWEST = 8;

/** Column widths that fit `total`: one character at a time off the widest column that can give it. */
function shrinkToFit(widths: number[], floors: readonly number[], total: number): number[] {
  const result = [...widths];
  const sum = () => result.reduce((a, b) => a + b, 0) + SEPARATOR.length * (result.length - 1);
  while (sum() > total) {
    let widest = -1;
    result.forEach((w, i) => {
      if (w > floors[i] && (widest < 0 || w > result[widest])) widest = i;
    });
    if (widest < 0) break;
    result[widest] -= 1;
  }
  return result;
}

/** A header, a rule of dashes, then the rows, each column as wide as its widest cell, within the limits. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const limit = options.maxWidth ?? Number.POSITIVE_INFINITY;
  const natural = header.map((h, i) => Math.min(limit, Math.max(h.length, ...rows.map((r) => flat(r[i]).length))));
  const floors = header.map((h, i) => Math.min(natural[i], options.minWidths?.[i] ?? Math.max(h.length, NARROWEST)));
  const widths =
    options.width === undefined ? natural : shrinkToFit(natural, floors, Math.max(options.width, header.length));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => fit(c, widths[i]).padEnd(widths[i]))
      .join(SEPARATOR)
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join(SEPARATOR), ...rows.map(line)].join("\n");
}

/**
 * Two values cut to `width` characters each around their first difference, so two long values
 * that share a prefix show the part that differs, not the prefix twice: `…Enabled", "Days": 30}`
 * beside `…Disabled", "Days": 30}`. Values that fit are returned whole.
 */
export function aroundFirstDifference(a: string, b: string, width: number): [string, string] {
  const [x, y] = [flat(a), flat(b)];
  if (x.length <= width && y.length <= width) return [x, y];
  let at = 0;
  while (at < x.length && at < y.length && x[at] === y[at]) at += 1;
  // Some context before the difference (a quarter of the width), more when the values end soon after it.
  const start = Math.max(0, Math.min(at - Math.floor(width / 4), Math.max(x.length, y.length) - (width - 1)));
  const cut = (text: string) => {
    const lead = start > 0 ? "…" : "";
    const room = width - lead.length;
    const rest = text.slice(start);
    return rest.length <= room ? `${lead}${rest}` : `${lead}${rest.slice(0, Math.max(0, room - 1))}…`;
  };
  return [cut(x), cut(y)];
}

/**
 * `text` broken at spaces into lines of at most `width` characters (a word longer than that
 * stays whole); lines after the first start with `hang`.
 */
export function wrap(text: string, width: number, hang = ""): string {
  const lead = /^ */.exec(text)?.[0] ?? "";
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    if (line.trim() !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${hang}${word}`;
    } else line = line.trim() === "" ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** Indents every line by four spaces, for messages that quote another tool's output. */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
