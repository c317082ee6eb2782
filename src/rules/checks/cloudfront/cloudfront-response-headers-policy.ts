import { DistributionSubject } from "../../cloudfront-subjects";
import { inputBlock } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: the default cache behavior has a `response_headers_policy_id`.
 *
 * A response headers policy is how CloudFront adds Strict-Transport-Security, nosniff, frame
 * options and a referrer policy to every answer, whatever the origin stores (the stack uses the
 * AWS-managed SecurityHeadersPolicy). What the policy holds is not read here: a managed policy is
 * known by its id only.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-response-headers-policies.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const policyId = inputBlock(subject.distribution.defaultCacheBehaviorInput)?.responseHeadersPolicyId;
  if (policyId === undefined || policyId === "")
    return nonCompliant("default_cache_behavior has no response_headers_policy_id");
  return compliant("default_cache_behavior has a response headers policy");
});
