import { BucketFacts } from "../../facts";
import { RuleResult, compliant, nonCompliant } from "../../result";

/** Compliant: every `aws_s3_bucket_versioning` of the bucket (at least one) has status "Enabled". */
export function s3BucketVersioningEnabled(facts: BucketFacts): RuleResult {
  if (facts.versioning.length === 0) return nonCompliant("no aws_s3_bucket_versioning configures this bucket");
  for (const versioning of facts.versioning) {
    const status = versioning.versioningConfigurationInput?.status;
    if (status !== "Enabled") {
      return nonCompliant(
        `${versioning.node.path} sets versioning_configuration.status = ${JSON.stringify(status ?? null)}`,
      );
    }
  }
  return compliant(`versioning enabled by ${facts.versioning.map((v) => v.node.path).join(", ")}`);
}
