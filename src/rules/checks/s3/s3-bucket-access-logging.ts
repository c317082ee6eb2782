import { BucketSubject } from "../../subjects";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: an `aws_s3_bucket_logging` sends the bucket's server access logs to a target bucket.
 *
 * Not applicable to a bucket that receives access logs: a log bucket logging to itself would
 * log its own log deliveries without end.
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.receivesAccessLogs !== undefined) {
    return notApplicable(`log bucket: ${subject.receivesAccessLogs}`);
  }
  const logging = subject.logging.find((l) => l.targetBucketInput !== undefined && l.targetBucketInput !== "");
  if (logging === undefined) return nonCompliant("no aws_s3_bucket_logging sends this bucket's access logs anywhere");
  return compliant(`access logs delivered by ${logging.node.path}`);
});
