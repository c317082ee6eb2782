import { IamSubject } from "../../iam-subjects";
import { NormalStatement } from "../../../common/policy";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";
import { statementProblems } from "../../statement-problems";

/** True for `*` and whole-service wildcards such as `s3:*` (and `*:*`). */
function isWildcardAction(action: string): boolean {
  return action === "*" || /^[^:]+:\*$/.test(action);
}

/** What a statement allows past named actions, or undefined when it allows none. */
function wildcardAllowed(s: NormalStatement): string | undefined {
  if (s.Effect !== "Allow") return undefined;
  if (s.NotAction !== undefined) return `allows NotAction ${JSON.stringify(s.NotAction)}`;
  const wildcards = (s.Action ?? []).filter(isWildcardAction);
  return wildcards.length > 0 ? `allows ${wildcards.join(", ")}` : undefined;
}

/**
 * Compliant: no Allow statement of the resource's trust or identity policies allows `*`, `<service>:*` or NotAction.
 *
 * A document that cannot be read at synth cannot be shown least-privilege: non-compliant.
 */
export default namedAfterFile(__filename, (subject: IamSubject): Outcome => {
  if (subject.documents.length === 0) return notApplicable("no policy document");
  const documents = subject.documents.map(({ argument, policy }) => ({ where: argument, policy }));
  const problems = statementProblems(documents, wildcardAllowed);
  return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant("every allowed action is named");
});
