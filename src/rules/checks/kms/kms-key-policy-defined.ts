import { KeyFacts } from "../../facts";
import { RuleResult, compliant, nonCompliant } from "../../result";

/**
 * Compliant: the key has a policy of its own, in its `policy` argument or an `aws_kms_key_policy`.
 *
 * Without one, KMS applies its default key policy, which the stack neither states nor reviews.
 */
export function kmsKeyPolicyDefined(facts: KeyFacts): RuleResult {
  const defined = facts.policies;
  if (defined.length === 0)
    return nonCompliant("the key has no policy argument and no aws_kms_key_policy: KMS applies its default policy");
  return compliant(`key policy set in ${defined.map((p) => p.source).join(", ")}`);
}
