/**
 * What a rule says about one resource. A rule is a pure function from a resource's facts (see
 * `facts.ts`) to one of these; the pack adds the rule's ID, level and wording.
 */

/** The three answers a rule can give. */
export type Compliance = "compliant" | "non-compliant" | "not-applicable";

/** A rule's answer, with a short detail saying why (shown in `npm run check` and in failures). */
export interface RuleResult {
  readonly outcome: Compliance;
  /** Why, in a few words: what was found, or why the rule does not apply. */
  readonly detail?: string;
}

/** The resource meets the rule. */
export function compliant(detail?: string): RuleResult {
  return detail === undefined ? { outcome: "compliant" } : { outcome: "compliant", detail };
}

/** The resource breaks the rule; `detail` says what was found. */
export function nonCompliant(detail: string): RuleResult {
  return { outcome: "non-compliant", detail };
}

/** The rule does not concern this resource; `detail` says why. */
export function notApplicable(detail: string): RuleResult {
  return { outcome: "not-applicable", detail };
}
