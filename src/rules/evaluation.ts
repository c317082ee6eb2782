/**
 * The engine's one step: every rule of a catalog applied to every subject of a stack, as the
 * stack is now, with suppressions matched and the findings picked out. Knows no rule: it applies
 * whatever catalog it is given. Nothing is kept between two calls, so a property edited since the
 * last report is judged as it is.
 */
import { TerraformResource, TerraformStack } from "cdktf";
import { Finding, RuleEvaluation, RuleReport, SuppressionProblem } from "./findings";
import { unknownRule, unmatchedSuppression } from "./messages";
import { Outcome } from "./outcome";
import { RuleDefinition } from "./rule";
import { PlacedSuppression, placedSuppressions, suppressionFor } from "./suppressions";
import { StackSubjects, subjectsOf } from "./subjects";

/** The rule's outcome on each subject of its kind, with the resource the subject is about. */
function outcomesOf(
  rule: RuleDefinition,
  subjects: StackSubjects,
): { resource: TerraformResource; outcome: Outcome }[] {
  switch (rule.subject) {
    case "bucket":
      return subjects.buckets.map((s) => ({ resource: s.bucket, outcome: rule.evaluate(s) }));
    case "key":
      return subjects.keys.map((s) => ({ resource: s.key, outcome: rule.evaluate(s) }));
    case "iam":
      return subjects.iam.map((s) => ({ resource: s.resource, outcome: rule.evaluate(s) }));
    case "distribution":
      return subjects.distributions.map((s) => ({ resource: s.distribution, outcome: rule.evaluate(s) }));
    case "resourcePolicy":
      return subjects.resourcePolicies.map((s) => ({ resource: s.resource, outcome: rule.evaluate(s) }));
    case "resource":
      return subjects.resources.map((s) => ({ resource: s.resource, outcome: rule.evaluate(s) }));
  }
}

/** The evaluation of `rule` on `resource`, before any suppression. */
function evaluationOf(rule: RuleDefinition, resource: TerraformResource, outcome: Outcome): RuleEvaluation {
  return {
    ruleId: rule.id,
    rule: rule.evaluate.name,
    level: rule.level,
    resourcePath: resource.node.path,
    address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
    result: outcome.compliance,
    ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
    checkov: rule.checkov,
    securityHub: rule.securityHub,
  };
}

/** The suppressions no evaluation used, or that name no rule of the catalog. */
function suppressionProblemsOf(
  suppressions: readonly PlacedSuppression[],
  rules: readonly RuleDefinition[],
): SuppressionProblem[] {
  const known = rules.map((r) => r.id);
  return suppressions
    .filter((s) => !s.used)
    .map((s) => ({
      path: s.path,
      id: s.id,
      reason: s.reason,
      problem: known.includes(s.id) ? unmatchedSuppression() : unknownRule(known),
    }));
}

/** Every rule of `rules` on every subject of `stack`: the report `npm run check` prints and synth enforces. */
export function evaluateStack(stack: TerraformStack, rules: readonly RuleDefinition[]): RuleReport {
  const subjects = subjectsOf(stack);
  const suppressions = placedSuppressions(stack);
  const evaluations: RuleEvaluation[] = [];
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  for (const rule of rules) {
    for (const { resource, outcome } of outcomesOf(rule, subjects)) {
      const evaluation = evaluationOf(rule, resource, outcome);
      const suppression =
        outcome.compliance === "non-compliant" ? suppressionFor(rule.id, resource, suppressions) : undefined;
      if (suppression !== undefined) {
        const { path, reason } = suppression;
        evaluations.push({ ...evaluation, result: "suppressed", suppression: { path, reason } });
        continue;
      }
      evaluations.push(evaluation);
      if (outcome.compliance !== "non-compliant") continue;
      const finding: Finding = { ...evaluation, message: rule.message, rationale: rule.rationale, fix: rule.fix };
      (rule.level === "error" ? errors : warnings).push(finding);
    }
  }
  const suppressionProblems = suppressionProblemsOf(suppressions, rules);
  return { stack: stack.node.path, evaluations, errors, warnings, suppressionProblems };
}
