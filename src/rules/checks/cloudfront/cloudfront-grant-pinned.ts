import { parseArn } from "../../../common/arn";
import { NormalStatement, servicePrincipals, statementName } from "../../../common/policy";
import { ResourcePolicySubject } from "../../cloudfront-subjects";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** The service principal CloudFront's origin access control signs as. */
const CLOUDFRONT = "cloudfront.amazonaws.com";
/** A reference to a declared distribution's ARN. */
const DISTRIBUTION_ARN_REF = /^\$\{aws_cloudfront_distribution\.[^.}]+\.arn\}$/;
/** A reference to a declared distribution's id (the stack builds the ARN from it). */
const DISTRIBUTION_ID_REF = /^\$\{aws_cloudfront_distribution\.[^.}]+\.id\}$/;
/** A literal distribution id: CloudFront's ids are upper-case letters and digits (`E2EXAMPLE`). */
const DISTRIBUTION_ID = /^[A-Z0-9]+$/;

/** Why a value does not name exactly one distribution, or undefined when it does. */
function unpinned(value: string): string | undefined {
  if (DISTRIBUTION_ARN_REF.test(value)) return undefined;
  const arn = parseArn(value);
  if (arn === undefined || arn.service !== "cloudfront" || !arn.resource.startsWith("distribution/")) {
    return `"${value}" is not a distribution ARN`;
  }
  if (/[*?]/.test(value.replace(/\$\{[^}]*\}/g, ""))) return `"${value}" has a wildcard`;
  const id = arn.resource.slice("distribution/".length);
  if (!DISTRIBUTION_ID_REF.test(id) && !DISTRIBUTION_ID.test(id)) {
    return `"${value}" names no one distribution: its id is neither a declared distribution's nor a literal one`;
  }
  return undefined;
}

/** Why a statement's grant to CloudFront is not pinned to one distribution, or undefined when it is. */
function problemOf(s: NormalStatement): string | undefined {
  const tests = Object.entries(s.Condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys)
      .filter(([key]) => key.toLowerCase() === "aws:sourcearn")
      .map(([, values]) => ({ operator, values })),
  );
  if (tests.length === 0) return `grants ${CLOUDFRONT} without an aws:SourceArn condition`;
  const problems: string[] = [];
  for (const { operator, values } of tests) {
    // Only StringEquals compares the whole text: the …Like and Arn… operators honour wildcards.
    if (operator !== "StringEquals") {
      problems.push(`tests aws:SourceArn with ${operator} ${JSON.stringify(values)}`);
      continue;
    }
    if (values.length !== 1) {
      problems.push(`allows ${values.length} aws:SourceArn values, not one`);
      continue;
    }
    const why = unpinned(values[0]);
    if (why === undefined) return undefined;
    problems.push(why);
  }
  return problems.join(", ");
}

/**
 * Compliant: every Allow statement of a bucket or key policy that names the CloudFront service
 * principal is conditioned on `StringEquals` `aws:SourceArn` = one distribution's ARN: a reference
 * to a declared distribution (its `arn`, or an ARN built from its `id`) or a literal ARN without
 * a wildcard. Never `distribution/*`: that lets every distribution of the account, including one
 * anybody with `cloudfront:CreateDistribution` makes, read the bucket or decrypt with the key.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 *
 * Not applicable to a policy that grants CloudFront nothing. A policy that cannot be read at
 * synth cannot be shown pinned: non-compliant.
 */
export default namedAfterFile(__filename, (subject: ResourcePolicySubject): Outcome => {
  if (!subject.policy.readable) return nonCompliant(`cannot verify: ${subject.policy.why}`);
  const statements = subject.policy.policy.Statement;
  const grants = statements
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.Effect === "Allow" && servicePrincipals(s).includes(CLOUDFRONT));
  if (grants.length === 0) return notApplicable(`grants ${CLOUDFRONT} nothing`);
  const problems = grants
    .map(({ s, i }) => {
      const why = problemOf(s);
      return why === undefined ? undefined : `statement ${statementName(s, i)} ${why}`;
    })
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) return nonCompliant(problems.join("; "));
  return compliant(
    `${grants.map(({ s, i }) => `statement ${statementName(s, i)}`).join(", ")} pinned to one distribution`,
  );
});
