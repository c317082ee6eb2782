import { DistributionOrigin, DistributionSubject } from "../../cloudfront-subjects";
import { SET_BY_EXPRESSION } from "../../inputs";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** What is wrong with one S3 origin, or undefined when origin access control signs for it. */
function problemOf(origin: DistributionOrigin): string | undefined {
  const name = `origin "${origin.originId}"`;
  if (origin.kind === "s3-website") {
    return `${name} is the S3 website endpoint ${origin.domainName}, which serves only public objects and cannot use origin access control`;
  }
  if (origin.originAccessIdentity !== undefined) {
    return `${name} uses the legacy origin access identity ${origin.originAccessIdentity}`;
  }
  if (origin.custom) return `${name} reaches S3 as a custom origin, unsigned`;
  if (origin.originAccessControlId === undefined) return `${name} has no origin_access_control_id`;
  return undefined;
}

/**
 * Compliant: every S3 origin of the distribution is the bucket's REST endpoint, signed by an
 * origin access control: no legacy origin access identity, no custom origin to S3, and never the
 * S3 website endpoint (AWS Security Hub CloudFront.13).
 *
 * OAC signs every request with SigV4, works with SSE-KMS and in every region, where an OAI
 * does neither; a website endpoint only serves a public bucket.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 * Not applicable to a distribution without an S3 origin.
 */
export default namedAfterFile(__filename, (subject: DistributionSubject): Outcome => {
  if (subject.origins === undefined) return nonCompliant(`origin ${SET_BY_EXPRESSION}`);
  const s3 = subject.origins.filter((o) => o.kind !== "other");
  if (s3.length === 0) return notApplicable("no S3 origin");
  const problems = s3.map(problemOf).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return nonCompliant(problems.join("; "));
  return compliant(`origin access control on ${s3.map((o) => `"${o.originId}"`).join(", ")}`);
});
