import { BucketSubject } from "../../subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** Compliant: the bucket's ownership controls set `object_ownership = "BucketOwnerEnforced"` (ACLs off). */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.ownershipControls.length === 0) {
    return nonCompliant("no aws_s3_bucket_ownership_controls configures this bucket (ACLs stay enabled)");
  }
  for (const controls of subject.ownershipControls) {
    const ownership = controls.ruleInput?.objectOwnership;
    if (ownership !== "BucketOwnerEnforced") {
      return nonCompliant(`${controls.node.path} sets object_ownership = ${JSON.stringify(ownership ?? null)}`);
    }
  }
  return compliant("BucketOwnerEnforced: ACLs are disabled");
});
