import { BucketSubject } from "../../subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: `force_destroy` is unset or `false`.
 *
 * Terraform then refuses to delete a bucket that still holds objects, instead of emptying it.
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  const value = subject.bucket.forceDestroyInput;
  if (value === undefined || value === false)
    return compliant(`force_destroy is ${value === undefined ? "unset" : "false"}`);
  return nonCompliant(value === true ? "force_destroy = true" : "force_destroy is set by a Terraform expression");
});
