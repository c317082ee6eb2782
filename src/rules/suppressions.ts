/**
 * Suppressions: `{ id, reason }` on a construct, exempting the resources at or below it from one
 * rule. Stored as node metadata of the construct (never synthesized). The reason is checked
 * here, when the suppression is made; whether it names a rule and matches a finding is checked
 * by the evaluation (`evaluation.ts`), where the findings are known.
 */
import { TerraformStack } from "cdktf";
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
  if (problems.length > 0) throw new SuppressionError(pathOf(scope), problems);
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

/** A suppression, the construct path it is on, and whether an evaluation used it. */
export interface PlacedSuppression extends RuleSuppression {
  readonly path: string;
  used: boolean;
}

/** A construct's path as messages show it; the App's is empty, so "(app)". */
export function pathOf(node: IConstruct): string {
  return node.node.path === "" ? "(app)" : node.node.path;
}

/** Every suppression that can reach a resource of the stack: on the stack, its ancestors or below. */
export function placedSuppressions(stack: TerraformStack): PlacedSuppression[] {
  const nodes = [...stack.node.scopes, ...stack.node.findAll().slice(1)];
  return nodes.flatMap((node) =>
    suppressionsOn(node).map((s) => ({ path: pathOf(node), id: s.id, reason: s.reason, used: false })),
  );
}

/** The nearest suppression of `ruleId` at or above `resource`; marks every match used. */
export function suppressionFor(
  ruleId: string,
  resource: IConstruct,
  suppressions: readonly PlacedSuppression[],
): PlacedSuppression | undefined {
  const scopes = new Set(resource.node.scopes.map(pathOf));
  const matches = suppressions.filter((s) => s.id === ruleId && scopes.has(s.path));
  for (const match of matches) match.used = true;
  return matches[matches.length - 1];
}
