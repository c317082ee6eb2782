import { BucketFacts } from "../../facts";
import { inputBlocks } from "../../inputs";
import { RuleResult, compliant, nonCompliant, notApplicable } from "../../result";

/**
 * Compliant: the bucket is the source of a replication configuration with an enabled rule and a destination.
 *
 * Applies to site buckets that are not a replication destination themselves: not to the replica
 * (replicating it again would chain regions), not to log buckets (access logs are per region
 * and expire).
 */
export function s3BucketReplication(facts: BucketFacts): RuleResult {
  if (facts.receivesAccessLogs !== undefined) return notApplicable(`log bucket: ${facts.receivesAccessLogs}`);
  if (facts.replicatedFrom.length > 0) {
    return notApplicable(`replication destination of ${facts.replicatedFrom.map((r) => r.node.path).join(", ")}`);
  }
  for (const configuration of facts.replications) {
    const enabled = (inputBlocks(configuration.ruleInput) ?? []).some(
      (rule) => rule.status === "Enabled" && rule.destination?.bucket !== undefined,
    );
    if (enabled) return compliant(`replicated by ${configuration.node.path}`);
  }
  return nonCompliant(
    facts.replications.length === 0
      ? "no aws_s3_bucket_replication_configuration replicates this bucket"
      : `${facts.replications.map((r) => r.node.path).join(", ")} has no enabled rule with a destination`,
  );
}
