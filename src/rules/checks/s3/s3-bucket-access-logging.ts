import { BucketFacts } from "../../facts";
import { RuleResult, compliant, nonCompliant, notApplicable } from "../../result";

/**
 * Compliant: an `aws_s3_bucket_logging` sends the bucket's server access logs to a target bucket.
 *
 * Not applicable to a bucket that receives access logs: a log bucket logging to itself would
 * log its own log deliveries without end.
 */
export function s3BucketAccessLogging(facts: BucketFacts): RuleResult {
  if (facts.receivesAccessLogs !== undefined) {
    return notApplicable(`log bucket: ${facts.receivesAccessLogs}`);
  }
  const logging = facts.logging.find((l) => l.targetBucketInput !== undefined && l.targetBucketInput !== "");
  if (logging === undefined) return nonCompliant("no aws_s3_bucket_logging sends this bucket's access logs anywhere");
  return compliant(`access logs delivered by ${logging.node.path}`);
}
