import { KeySubject } from "../../subjects";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: `enable_key_rotation = true`.
 *
 * Not applicable to keys KMS cannot rotate automatically: asymmetric and HMAC keys, and keys in
 * a custom key store (https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html).
 */
export default namedAfterFile(__filename, (subject: KeySubject): Outcome => {
  const key = subject.key;
  const spec = key.customerMasterKeySpecInput;
  if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT")
    return notApplicable(`${spec} keys cannot rotate automatically`);
  if (key.customKeyStoreIdInput !== undefined)
    return notApplicable("keys in a custom key store cannot rotate automatically");
  const rotation = key.enableKeyRotationInput;
  if (rotation === true) return compliant("automatic rotation enabled");
  const value =
    rotation === undefined ? "unset (rotation off)" : rotation === false ? "false" : "set by a Terraform expression";
  return nonCompliant(`enable_key_rotation is ${value}`);
});
