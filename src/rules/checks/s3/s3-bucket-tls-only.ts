import { BucketFacts } from "../../facts";
import { PolicyStatement, includesEveryone, statementName, wildcardMatches } from "../../policy-document";
import { RuleResult, compliant, nonCompliant } from "../../result";

/** True when a policy Resource pattern covers the bucket (`part` "bucket") or all its objects ("objects"). */
function covers(resource: string, facts: BucketFacts, part: "bucket" | "objects"): boolean {
  if (resource === "*") return true;
  const suffix = part === "objects" ? "/*" : "";
  if (resource === `${facts.arnAttribute}${suffix}`) return true;
  // `arn:<partition>:s3:::<name>`: the partition is often an interpolation; compare what follows.
  const at = resource.indexOf(":s3:::");
  if (at < 0 || facts.name === undefined) return false;
  return wildcardMatches(resource.slice(at + ":s3:::".length), `${facts.name}${suffix}`);
}

/** True when the statement denies everyone every S3 action, on the bucket and its objects, without TLS. */
function deniesInsecureTransport(s: PolicyStatement, facts: BucketFacts): boolean {
  if (s.effect !== "Deny" || s.notPrincipal || !includesEveryone(s.principals)) return false;
  if (s.notAction || !s.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*")) return false;
  if (s.notResource) return false;
  if (!s.resources.some((r) => covers(r, facts, "bucket")) || !s.resources.some((r) => covers(r, facts, "objects")))
    return false;
  return Object.entries(s.conditions).some(
    ([operator, keys]) =>
      (operator === "Bool" || operator === "BoolIfExists") &&
      Object.entries(keys).some(
        ([key, values]) =>
          key.toLowerCase() === "aws:securetransport" && values.length === 1 && values[0].toLowerCase() === "false",
      ),
  );
}

/**
 * Compliant: a bucket policy denies everyone `s3:*` on the bucket and its objects when `aws:SecureTransport` is false.
 *
 * AWS Security Hub S3.5. A policy that cannot be read at synth cannot show it: non-compliant.
 */
export function s3BucketTlsOnly(facts: BucketFacts): RuleResult {
  if (facts.policies.length === 0) return nonCompliant("no aws_s3_bucket_policy configures this bucket");
  const unreadable: string[] = [];
  for (const { resource, policy } of facts.policies) {
    if (!policy.readable) {
      unreadable.push(`${resource.node.path}: ${policy.why}`);
      continue;
    }
    const index = policy.statements.findIndex((s) => deniesInsecureTransport(s, facts));
    if (index >= 0) {
      return compliant(
        `statement ${statementName(policy.statements[index], index)} of ${resource.node.path} denies requests without TLS`,
      );
    }
  }
  return nonCompliant(
    unreadable.length > 0
      ? `cannot verify: ${unreadable.join("; ")}`
      : "no bucket policy statement denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false",
  );
}
