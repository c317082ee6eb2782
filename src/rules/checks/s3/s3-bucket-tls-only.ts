import { parseArn } from "../../../common/arn";
import { BucketSubject } from "../../subjects";
import { NormalStatement, includesEveryone, statementName, wildcardMatches } from "../../../common/policy";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** True when a policy Resource pattern covers the bucket (`part` "bucket") or all its objects ("objects"). */
function covers(resource: string, subject: BucketSubject, part: "bucket" | "objects"): boolean {
  if (resource === "*") return true;
  const suffix = part === "objects" ? "/*" : "";
  if (resource === `${subject.arnAttribute}${suffix}`) return true;
  // `arn:<partition>:s3:::<name>`: the partition is often an interpolation; compare what follows.
  const arn = parseArn(resource);
  if (arn === undefined || arn.service !== "s3" || arn.region !== "" || arn.account !== "") return false;
  if (subject.name === undefined) return false;
  return wildcardMatches(arn.resource, `${subject.name}${suffix}`);
}

/** True when the statement denies everyone every S3 action, on the bucket and its objects, without TLS. */
function deniesInsecureTransport(s: NormalStatement, subject: BucketSubject): boolean {
  if (s.Effect !== "Deny" || s.NotPrincipal !== undefined || !includesEveryone(s)) return false;
  if (s.NotAction !== undefined || !(s.Action ?? []).some((a) => a === "*" || a.toLowerCase() === "s3:*")) return false;
  if (s.NotResource !== undefined) return false;
  const resources = s.Resource ?? [];
  if (!resources.some((r) => covers(r, subject, "bucket")) || !resources.some((r) => covers(r, subject, "objects")))
    return false;
  return Object.entries(s.Condition ?? {}).some(
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
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.policies.length === 0) return nonCompliant("no aws_s3_bucket_policy configures this bucket");
  const unreadable: string[] = [];
  for (const { resource, policy } of subject.policies) {
    if (!policy.readable) {
      unreadable.push(`${resource.node.path}: ${policy.why}`);
      continue;
    }
    const statements = policy.policy.Statement;
    const index = statements.findIndex((s) => deniesInsecureTransport(s, subject));
    if (index >= 0) {
      return compliant(
        `statement ${statementName(statements[index], index)} of ${resource.node.path} denies requests without TLS`,
      );
    }
  }
  return nonCompliant(
    unreadable.length > 0
      ? `cannot verify: ${unreadable.join("; ")}`
      : "no bucket policy statement denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false",
  );
});
