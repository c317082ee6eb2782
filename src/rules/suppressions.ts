/**
 * Suppressions: `{ id, reason }` on a construct, exempting the resources at or below it from one
 * rule. Stored as node metadata of the construct (never synthesized). The reason is checked
 * here, when the suppression is made; whether it names a rule and matches a finding is checked
 * by the pack, where the findings are known.
 */
import { IConstruct } from "constructs";
import { SuppressionError, SuppressionInputProblem, reasonProblem } from "./messages";

/** One rule exempted at a construct, and why. */
export interface RuleSuppression {
  /** The rule's ID, e.g. `SITE-S3-007`. */
  readonly id: string;
  /** Why the rule does not apply here: a real sentence (see `REASON_MINIMUM`). */
  readonly reason: string;
}

/** The node metadata type suppressions are stored under. */
const SUPPRESSION_METADATA = "site-rules:suppression";

/**
 * Exempts every resource at or below `scope` from the given rules. Throws a
 * `SuppressionError` listing every malformed suppression (no ID, or a reason that is not a real
 * sentence) before storing any.
 */
export function suppressRules(scope: IConstruct, suppressions: readonly RuleSuppression[]): void {
  const problems: SuppressionInputProblem[] = [];
  for (const suppression of suppressions) {
    const id: unknown = suppression?.id;
    if (typeof id !== "string" || id.trim() === "") {
      problems.push({ id, problem: "has no rule ID (such as SITE-S3-001)" });
    }
    const problem = reasonProblem(suppression?.reason);
    if (problem !== undefined) problems.push({ id, problem });
  }
  if (problems.length > 0) throw new SuppressionError(scope.node.path || "(app)", problems);
  for (const { id, reason } of suppressions) {
    scope.node.addMetadata(SUPPRESSION_METADATA, { id: id.trim(), reason: reason.trim() });
  }
}

/** The suppressions stored directly on a construct (not its ancestors), in order. */
export function suppressionsOn(scope: IConstruct): RuleSuppression[] {
  return scope.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => entry.data as RuleSuppression);
}
