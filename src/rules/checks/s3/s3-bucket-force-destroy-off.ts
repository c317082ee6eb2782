import { BucketFacts } from "../../facts";
import { RuleResult, compliant, nonCompliant } from "../../result";

/**
 * Compliant: `force_destroy` is unset or `false`.
 *
 * Terraform then refuses to delete a bucket that still holds objects, instead of emptying it.
 */
export function s3BucketForceDestroyOff(facts: BucketFacts): RuleResult {
  const value = facts.bucket.forceDestroyInput;
  if (value === undefined || value === false)
    return compliant(`force_destroy is ${value === undefined ? "unset" : "false"}`);
  return nonCompliant(value === true ? "force_destroy = true" : "force_destroy is set by a Terraform expression");
}
