import { KeySubject } from "../../subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: the key has a policy of its own, in its `policy` argument or an `aws_kms_key_policy`.
 *
 * Without one, KMS applies its default key policy, which the stack neither states nor reviews.
 */
export default namedAfterFile(__filename, (subject: KeySubject): Outcome => {
  const defined = subject.policies;
  if (defined.length === 0)
    return nonCompliant("the key has no policy argument and no aws_kms_key_policy: KMS applies its default policy");
  return compliant(`key policy set in ${defined.map((p) => p.source).join(", ")}`);
});
