import { IamSubject } from "../../iam-subjects";
import { statementName } from "../../../common/policy";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** True for `*` and whole-service wildcards such as `s3:*` (and `*:*`). */
function isWildcardAction(action: string): boolean {
  return action === "*" || /^[^:]+:\*$/.test(action);
}

/**
 * Compliant: no Allow statement of the resource's trust or identity policies allows `*`, `<service>:*` or NotAction.
 *
 * A document that cannot be read at synth cannot be shown least-privilege: non-compliant.
 */
export default namedAfterFile(__filename, (subject: IamSubject): Outcome => {
  if (subject.documents.length === 0) return notApplicable("no policy document");
  const problems: string[] = [];
  for (const { argument, policy } of subject.documents) {
    if (!policy.readable) {
      problems.push(`${argument}: cannot verify: ${policy.why}`);
      continue;
    }
    policy.policy.Statement.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      const where = `statement ${statementName(s, i)} of ${argument}`;
      const wildcards = (s.Action ?? []).filter(isWildcardAction);
      if (s.NotAction !== undefined) problems.push(`${where} allows NotAction ${JSON.stringify(s.NotAction)}`);
      else if (wildcards.length > 0) problems.push(`${where} allows ${wildcards.join(", ")}`);
    });
  }
  return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant("every allowed action is named");
});
