import { BucketSubject } from "../../subjects";
import { SET_BY_EXPRESSION, inputBlock, inputBlocks, isToken } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** SSE-KMS algorithms S3 accepts as default encryption (single- and dual-layer). */
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/**
 * Compliant: default encryption is `aws:kms` with a customer-managed key, or `AES256` on a log bucket.
 *
 * A bucket that receives server access logs must use SSE-S3 (`AES256`): S3 log delivery cannot
 * write to a bucket whose default encryption is SSE-KMS, so there `aws:kms` is non-compliant
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 * Without `kms_master_key_id`, S3 would use the AWS-managed `aws/s3` key, whose policy cannot
 * grant CloudFront or replication anything: non-compliant.
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.encryption.length === 0) {
    return nonCompliant("no aws_s3_bucket_server_side_encryption_configuration configures this bucket");
  }
  const logBucket = subject.receivesAccessLogs !== undefined;
  for (const configuration of subject.encryption) {
    const rules = inputBlocks(configuration.ruleInput);
    if (rules === undefined) return nonCompliant(`${configuration.node.path}: rule ${SET_BY_EXPRESSION}`);
    if (rules.length === 0) return nonCompliant(`${configuration.node.path} has no rule`);
    for (const rule of rules) {
      const byDefault = inputBlock(rule.applyServerSideEncryptionByDefault);
      const algorithm = byDefault?.sseAlgorithm;
      if (logBucket) {
        if (algorithm !== "AES256") {
          return nonCompliant(
            `receives server access logs (${subject.receivesAccessLogs}) but sse_algorithm is ${JSON.stringify(algorithm ?? null)}: S3 log delivery needs SSE-S3 (AES256)`,
          );
        }
      } else {
        if (algorithm === undefined || isToken(algorithm) || !KMS_ALGORITHMS.includes(algorithm)) {
          return nonCompliant(
            `${configuration.node.path} sets sse_algorithm = ${JSON.stringify(algorithm ?? null)}, not "aws:kms"`,
          );
        }
        if (byDefault?.kmsMasterKeyId === undefined || byDefault.kmsMasterKeyId === "") {
          return nonCompliant(
            `${configuration.node.path} sets no kms_master_key_id: S3 would use the AWS-managed aws/s3 key`,
          );
        }
      }
    }
  }
  return logBucket
    ? compliant(`log bucket: SSE-S3 (AES256), since ${subject.receivesAccessLogs}`)
    : compliant("SSE-KMS with a customer-managed key");
});
