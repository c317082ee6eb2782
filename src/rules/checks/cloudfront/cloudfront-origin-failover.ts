import { DistributionSubject } from "../../cloudfront-subjects";
import { SET_BY_EXPRESSION, inputBlocks } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: the distribution has an `origin_group`, so CloudFront retries a failed request on a
 * second origin (AWS Security Hub CloudFront.4).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const groups = inputBlocks(subject.distribution.originGroupInput);
  if (groups === undefined) return nonCompliant(`origin_group ${SET_BY_EXPRESSION}`);
  if (groups.length === 0) return nonCompliant("no origin_group: a failing origin is not retried elsewhere");
  return compliant(`origin groups: ${groups.map((g) => `"${g.originId}"`).join(", ")}`);
});
