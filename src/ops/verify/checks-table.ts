import { textTable } from "../../common/text";
import { VerifyRow, rowPasses } from "./row";

/** The checks as a table: check, resource, expected, found, PASS/FAIL. */
export function checksTable(rows: readonly VerifyRow[]): string {
  return textTable(
    ["check", "resource", "expected", "found", "result"],
    rows.map((r) => [r.path, r.resource, r.expected, r.found, rowPasses(r) ? r.status : "FAIL"]),
    { maxWidth: 48 },
  );
}

/** The failing checks, one line each, naming the resource, the expectation and what was found. */
export function failedChecks(rows: readonly VerifyRow[]): string {
  return rows
    .filter((r) => !rowPasses(r))
    .map((r) => `  - ${r.path} on ${r.resource}: expected ${r.expected}, found ${r.found}`)
    .join("\n");
}
