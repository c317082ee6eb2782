import { DistributionSubject } from "../../cloudfront-subjects";
import { SET_BY_EXPRESSION, isToken } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: `default_root_object` names an object (the site's `index.html`).
 *
 * Without it, a request for the distribution's root is passed to the origin as the bucket's own
 * root (AWS Security Hub CloudFront.1): the answer is an error or, for an origin that allows
 * listing, the bucket's listing.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DefaultRootObject.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const root = subject.distribution.defaultRootObjectInput;
  if (root === undefined || root === "") return nonCompliant("default_root_object is not set");
  if (isToken(root)) return nonCompliant(`default_root_object ${SET_BY_EXPRESSION}`);
  return compliant(`default_root_object is "${root}"`);
});
