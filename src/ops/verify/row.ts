/**
 * One row of the verifier's report: what was compared, on which resource, where, and with what
 * result. Rows are data with named fields; the renderers (the table, JSON, the local run's
 * report) read the fields, never positions.
 */

/**
 * - `pass`: found as declared;
 * - `fail`: drift: found differs from what is declared, or something that widens access or
 *   moves data exists without being declared;
 * - `tolerated`: differs only as a known emulator difference says (passed in by the caller;
 *   the list is empty on AWS), named in `note`.
 */
export type RowStatus = "pass" | "fail" | "tolerated";

/** One comparison of the verifier (or of the local run: plan guard, re-plan, teardown). */
export interface VerifyRow {
  /** The resource: its Terraform address, and the live name or id in parentheses when it helps. */
  readonly resource: string;
  /**
   * What was compared, as a readable attribute path (`rule.replicate-everything.destination.storage_class`,
   * `statement.DenyInsecureTransport.Condition`), or a short phrase for a whole check (`probe: write`).
   * Empty when the row covers the whole resource.
   */
  readonly path: string;
  /** The declared value (or the expectation), rendered. */
  readonly expected: string;
  /** The live value (or what was found), rendered; an error text when the read failed. */
  readonly found: string;
  readonly status: RowStatus;
  /** Why a row is tolerated, or what a failing row means ("not declared", the permission to check). */
  readonly note?: string;
}

/** True unless the row is drift. */
export function rowPasses(row: VerifyRow): boolean {
  return row.status !== "fail";
}

/** How an absent value is shown, on either side of a row. */
export const NOT_SET = "(not set)";

/** Shown as the expected value of something that exists live but is not declared. */
export const NOT_DECLARED = "(not declared)";
