import { IamFacts } from "../../facts";
import { statementName } from "../../policy-document";
import { RuleResult, compliant, nonCompliant, notApplicable } from "../../result";

/** True for `*` and whole-service wildcards such as `s3:*` (and `*:*`). */
function isWildcardAction(action: string): boolean {
  return action === "*" || /^[^:]+:\*$/.test(action);
}

/**
 * Compliant: no Allow statement of the resource's trust or identity policies allows `*`, `<service>:*` or NotAction.
 *
 * A document that cannot be read at synth cannot be shown least-privilege: non-compliant.
 */
export function iamNoWildcardActions(facts: IamFacts): RuleResult {
  if (facts.documents.length === 0) return notApplicable("no policy document");
  const problems: string[] = [];
  for (const { argument, policy } of facts.documents) {
    if (!policy.readable) {
      problems.push(`${argument}: cannot verify: ${policy.why}`);
      continue;
    }
    policy.statements.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      const where = `statement ${statementName(s, i)} of ${argument}`;
      if (s.notAction) problems.push(`${where} allows NotAction ${JSON.stringify(s.actions)}`);
      else if (s.actions.some(isWildcardAction))
        problems.push(`${where} allows ${s.actions.filter(isWildcardAction).join(", ")}`);
    });
  }
  return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant("every allowed action is named");
}
