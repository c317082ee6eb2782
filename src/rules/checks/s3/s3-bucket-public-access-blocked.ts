import { BucketSubject } from "../../subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** Compliant: an `aws_s3_bucket_public_access_block` of the bucket sets all four flags to `true`. */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.publicAccessBlocks.length === 0) {
    return nonCompliant("no aws_s3_bucket_public_access_block configures this bucket");
  }
  for (const block of subject.publicAccessBlocks) {
    const flags: Record<string, unknown> = {
      block_public_acls: block.blockPublicAclsInput,
      block_public_policy: block.blockPublicPolicyInput,
      ignore_public_acls: block.ignorePublicAclsInput,
      restrict_public_buckets: block.restrictPublicBucketsInput,
    };
    const off = Object.entries(flags)
      .filter(([, value]) => value !== true)
      .map(([flag]) => flag);
    if (off.length > 0) return nonCompliant(`${block.node.path} does not set ${off.join(", ")} to true`);
  }
  return compliant("all four public access block flags are true");
});
