import { DistributionSubject } from "../../cloudfront-subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: `web_acl_id` attaches an AWS WAF web ACL to the distribution (AWS Security Hub
 * CloudFront.6).
 *
 * A web ACL filters requests before they reach the cache or the origin (rate limits, managed
 * rule groups). It is billed per web ACL, per rule and per million requests, so the site stack
 * leaves the choice to its owner (see the suppression in the stack for how to attach one).
 * https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const webAcl = subject.distribution.webAclIdInput;
  if (webAcl === undefined || webAcl === "") return nonCompliant("no web_acl_id: no AWS WAF web ACL is attached");
  return compliant("an AWS WAF web ACL is attached");
});
