/**
 * The verifier's rows for a terminal: a table that fits the width, and the failing rows, each
 * showing where its two values differ.
 */
import { aroundFirstDifference, textTable } from "../common/text";
import { VerifyRow, rowPasses } from "../ops/verify/row";

/** The width of a report on `stream`: the terminal's when it is one, else 120 columns. */
export function reportWidth(stream: { readonly isTTY?: boolean; readonly columns?: number }): number {
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : 120;
}

const HEADER = ["resource", "path", "expected", "found", "result"];
/** The result column: "pass", "FAIL" or "tolerated". */
const RESULT_WIDTH = "tolerated".length;

/** What the result column says. */
function result(row: VerifyRow): string {
  return row.status === "fail" ? "FAIL" : row.status;
}

/** Room for each of expected and found in a table of `width`: a quarter of it, from 12 to 40 characters. */
function valueWidth(width: number): number {
  return Math.min(40, Math.max(12, Math.floor(width / 4)));
}

/** The rows as a table of at most `width` columns; a failing row's values are cut around their first difference. */
export function rowsTable(rows: readonly VerifyRow[], width: number): string {
  const room = valueWidth(width);
  return textTable(
    HEADER,
    rows.map((r) => {
      const [expected, found] =
        r.status === "fail" ? aroundFirstDifference(r.expected, r.found, room) : [r.expected, r.found];
      return [r.resource, r.path, expected, found, result(r)];
    }),
    // The values keep their room (cut around the difference already); resource and path give way first.
    { width, minWidths: [8, 8, room, room, RESULT_WIDTH] },
  );
}

/**
 * The failing rows, a few lines each: the resource and the path, then the expected and found
 * values, each cut to the width around their first difference.
 */
export function failedRows(rows: readonly VerifyRow[], width: number): string {
  const room = Math.max(20, width - 16);
  return rows
    .filter((r) => !rowPasses(r))
    .map((r) => {
      const [expected, found] = aroundFirstDifference(r.expected, r.found, room);
      const note = r.note === undefined ? "" : `\n      note:     ${r.note}`;
      return `  - ${r.resource}${r.path === "" ? "" : ` ${r.path}`}\n      expected: ${expected}\n      found:    ${found}${note}`;
    })
    .join("\n");
}
