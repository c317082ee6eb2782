import { KeySubject } from "../../subjects";
import {
  NormalStatement,
  conditionKeys,
  hasCondition,
  includesEveryone,
  servicePrincipals,
} from "../../../common/policy";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";
import { statementProblems } from "../../statement-problems";

/**
 * Condition keys that tie a wildcard principal to an account or organization, which is what
 * keeps such a statement from making the key public (AWS Security Hub KMS.5).
 */
const ACCOUNT_SCOPING_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalorgid",
  "kms:calleraccount",
];

/** Why a statement opens the key, or undefined when it does not. */
function opening(s: NormalStatement): string | undefined {
  if (s.Effect !== "Allow") return undefined;
  if (s.NotPrincipal !== undefined) return "allows everyone except a NotPrincipal";
  if (includesEveryone(s) && !conditionKeys(s).some((k) => ACCOUNT_SCOPING_KEYS.includes(k))) {
    return "allows a wildcard principal without an account-scoping condition";
  }
  const services = servicePrincipals(s);
  if (services.length > 0 && !hasCondition(s))
    return `allows the service principal ${services.join(", ")} without a Condition`;
  return undefined;
}

/**
 * Compliant: no Allow statement opens the key to an unconditioned wildcard or service principal.
 *
 * Open means: a wildcard principal (`"*"`, `{ "AWS": "*" }`) without a condition on one of
 * `ACCOUNT_SCOPING_KEYS`; a service principal without any condition (the confused-deputy
 * guard); or a `NotPrincipal`. A policy that cannot be read at synth cannot be shown safe:
 * non-compliant. Not applicable to a key without a policy of its own (see kms-key-policy-defined).
 */
export default namedAfterFile(__filename, (subject: KeySubject): Outcome => {
  if (subject.policies.length === 0)
    return notApplicable("the key has no policy of its own (see kms-key-policy-defined)");
  const problems = statementProblems(
    subject.policies.map(({ source, policy }) => ({ where: source, policy })),
    opening,
  );
  return problems.length > 0 ? nonCompliant(problems.join("; ")) : compliant("every principal is named or conditioned");
});
