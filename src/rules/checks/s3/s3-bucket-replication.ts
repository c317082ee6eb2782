import { BucketSubject } from "../../subjects";
import { inputBlocks } from "../../inputs";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Compliant: the bucket is the source of a replication configuration with an enabled rule and a destination.
 *
 * Applies to site buckets that are not a replication destination themselves: not to the replica
 * (replicating it again would chain regions), not to log buckets (access logs are per region
 * and expire).
 */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.receivesAccessLogs !== undefined) return notApplicable(`log bucket: ${subject.receivesAccessLogs}`);
  if (subject.replicatedFrom.length > 0) {
    return notApplicable(`replication destination of ${subject.replicatedFrom.map((r) => r.node.path).join(", ")}`);
  }
  for (const configuration of subject.replications) {
    const enabled = (inputBlocks(configuration.ruleInput) ?? []).some(
      (rule) => rule.status === "Enabled" && rule.destination?.bucket !== undefined,
    );
    if (enabled) return compliant(`replicated by ${configuration.node.path}`);
  }
  return nonCompliant(
    subject.replications.length === 0
      ? "no aws_s3_bucket_replication_configuration replicates this bucket"
      : `${subject.replications.map((r) => r.node.path).join(", ")} has no enabled rule with a destination`,
  );
});
