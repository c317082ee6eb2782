import { BucketSubject } from "../../subjects";
import { inputBlock, inputBlocks } from "../../inputs";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: every SSE-KMS default-encryption rule of the bucket sets `bucket_key_enabled = true`.
 *
 * Not applicable to a bucket whose default encryption is not SSE-KMS.
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  const kmsRules = subject.encryption.flatMap((configuration) =>
    (inputBlocks(configuration.ruleInput) ?? [])
      .filter((rule) => (inputBlock(rule.applyServerSideEncryptionByDefault)?.sseAlgorithm ?? "").startsWith("aws:kms"))
      .map((rule) => ({ configuration, rule })),
  );
  if (kmsRules.length === 0) return notApplicable("the bucket's default encryption is not SSE-KMS");
  const off = kmsRules.find(({ rule }) => rule.bucketKeyEnabled !== true);
  if (off !== undefined) {
    const value =
      off.rule.bucketKeyEnabled === undefined
        ? "leaves bucket_key_enabled unset"
        : off.rule.bucketKeyEnabled === false
          ? "sets bucket_key_enabled = false"
          : "sets bucket_key_enabled by a Terraform expression";
    return nonCompliant(`${off.configuration.node.path} ${value}`);
  }
  return compliant("S3 Bucket Key enabled");
});
