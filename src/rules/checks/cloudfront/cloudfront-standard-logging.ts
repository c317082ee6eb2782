import { DistributionSubject } from "../../cloudfront-subjects";
import { inputBlock } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: `logging_config` sends the distribution's standard logs (legacy) to an S3 bucket
 * (AWS Security Hub CloudFront.5).
 *
 * Legacy standard logging writes with ACLs: its bucket must have ACLs enabled, which a bucket
 * with object ownership `BucketOwnerEnforced` (SITE-S3-005) refuses.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const bucket = inputBlock(subject.distribution.loggingConfigInput)?.bucket;
  if (bucket === undefined || bucket === "") return nonCompliant("no logging_config: no standard logs (legacy)");
  return compliant("standard logs (legacy) go to an S3 bucket");
});
