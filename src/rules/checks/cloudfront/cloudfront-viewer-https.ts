import { DistributionSubject } from "../../cloudfront-subjects";
import { SET_BY_EXPRESSION, inputBlock, inputBlocks, isToken } from "../../inputs";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** The viewer protocol policies that never serve content over plain HTTP. */
const HTTPS_POLICIES = ["redirect-to-https", "https-only"];

/** What is wrong with one cache behavior's viewer protocol policy, or undefined. */
function problemOf(where: string, policy: string | undefined): string | undefined {
  if (policy === undefined) return `${where} has no viewer_protocol_policy`;
  if (isToken(policy)) return `viewer_protocol_policy of ${where} ${SET_BY_EXPRESSION}`;
  if (!HTTPS_POLICIES.includes(policy)) return `${where} has viewer_protocol_policy "${policy}"`;
  return undefined;
}

/**
 * Compliant: the default and every ordered cache behavior use `redirect-to-https` or `https-only`.
 *
 * `allow-all` serves the site over plain HTTP, where it can be read and altered on the way
 * (AWS Security Hub CloudFront.3).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  const { distribution } = subject;
  const problems: string[] = [];
  const defaultInput = distribution.defaultCacheBehaviorInput;
  const defaultBehavior = inputBlock(defaultInput);
  if (defaultInput !== undefined && defaultBehavior === undefined) {
    problems.push(`default_cache_behavior ${SET_BY_EXPRESSION}`);
  } else {
    const defaultProblem = problemOf("default_cache_behavior", defaultBehavior?.viewerProtocolPolicy);
    if (defaultProblem !== undefined) problems.push(defaultProblem);
  }
  const ordered = inputBlocks(distribution.orderedCacheBehaviorInput);
  if (ordered === undefined) problems.push(`ordered_cache_behavior ${SET_BY_EXPRESSION}`);
  for (const behavior of ordered ?? []) {
    const problem = problemOf(`ordered_cache_behavior "${behavior.pathPattern}"`, behavior.viewerProtocolPolicy);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) return nonCompliant(problems.join("; "));
  return compliant(`every cache behavior (${1 + (ordered ?? []).length}) requires HTTPS`);
});
