/**
 * What a rule says about one subject: its outcome. A rule is a pure function from a subject (see
 * `subjects.ts`) to an `Outcome`; the engine adds the rule's ID, level and wording from the catalog.
 */

/** The three answers a rule can give. */
export type Compliance = "compliant" | "non-compliant" | "not-applicable";

/** A rule's answer on one subject, with a short detail saying why (shown in `npm run check` and in failures). */
export interface Outcome {
  readonly compliance: Compliance;
  /** Why, in a few words: what was found, or why the rule does not apply. */
  readonly detail?: string;
}

/** The subject meets the rule. */
export function compliant(detail?: string): Outcome {
  return detail === undefined ? { compliance: "compliant" } : { compliance: "compliant", detail };
}

/** The subject breaks the rule; `detail` says what was found. */
export function nonCompliant(detail: string): Outcome {
  return { compliance: "non-compliant", detail };
}

/** The rule does not concern this subject; `detail` says why. */
export function notApplicable(detail: string): Outcome {
  return { compliance: "not-applicable", detail };
}
