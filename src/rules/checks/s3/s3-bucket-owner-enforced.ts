import { BucketFacts } from "../../facts";
import { RuleResult, compliant, nonCompliant } from "../../result";

/** Compliant: the bucket's ownership controls set `object_ownership = "BucketOwnerEnforced"` (ACLs off). */
export function s3BucketOwnerEnforced(facts: BucketFacts): RuleResult {
  if (facts.ownershipControls.length === 0) {
    return nonCompliant("no aws_s3_bucket_ownership_controls configures this bucket (ACLs stay enabled)");
  }
  for (const controls of facts.ownershipControls) {
    const ownership = controls.ruleInput?.objectOwnership;
    if (ownership !== "BucketOwnerEnforced") {
      return nonCompliant(`${controls.node.path} sets object_ownership = ${JSON.stringify(ownership ?? null)}`);
    }
  }
  return compliant("BucketOwnerEnforced: ACLs are disabled");
}
