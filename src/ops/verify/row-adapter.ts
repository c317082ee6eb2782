/**
 * To delete at the merge: the rest of the verifier still makes CheckRow while the probe, the
 * report table and the command use VerifyRow. These two conversions bridge them until every
 * topic makes VerifyRow.
 */
import type { CheckRow } from "./check-row";
import { VerifyRow, rowPasses } from "./row";

const TOLERATED = / \(known emulator difference: (.*)\)$/;

/** A CheckRow as a VerifyRow: its check becomes the path; a known emulator difference, a tolerated row. */
export function toVerifyRow(row: CheckRow): VerifyRow {
  const tolerated = row.pass ? TOLERATED.exec(row.found) : null;
  if (tolerated !== null) {
    const found = row.found.slice(0, tolerated.index);
    return {
      resource: row.resource,
      path: row.check,
      expected: row.expected,
      found,
      status: "tolerated",
      note: tolerated[1],
    };
  }
  return {
    resource: row.resource,
    path: row.check,
    expected: row.expected,
    found: row.found,
    status: row.pass ? "pass" : "fail",
  };
}

/** A VerifyRow as a CheckRow, for the topics that still return CheckRow. */
export function toCheckRow(row: VerifyRow): CheckRow {
  const found = row.note === undefined ? row.found : `${row.found} (${row.note})`;
  return { check: row.path, resource: row.resource, expected: row.expected, found, pass: rowPasses(row) };
}
