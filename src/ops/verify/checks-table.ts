import { textTable } from "../../common/text";
import type { CheckRow } from "./check-row";

/** The checks as a table: check, resource, expected, found, PASS/FAIL. */
export function checksTable(rows: readonly CheckRow[]): string {
  return textTable(
    ["check", "resource", "expected", "found", "result"],
    rows.map((r) => [r.check, r.resource, r.expected, r.found, r.pass ? "pass" : "FAIL"]),
    { maxWidth: 48 },
  );
}

/** The failing checks, one line each, naming the resource, the expectation and what was found. */
export function failedChecks(rows: readonly CheckRow[]): string {
  return rows
    .filter((r) => !r.pass)
    .map((r) => `  - ${r.check} on ${r.resource}: expected ${r.expected}, found ${r.found}`)
    .join("\n");
}
