import { BucketSubject } from "../../subjects";
import { Outcome, compliant, nonCompliant } from "../../outcome";
import { namedAfterFile } from "../../rule";

/** Compliant: every `aws_s3_bucket_versioning` of the bucket (at least one) has status "Enabled". */
export default namedAfterFile(__filename, (subject: BucketSubject): Outcome => {
  if (subject.versioning.length === 0) return nonCompliant("no aws_s3_bucket_versioning configures this bucket");
  for (const versioning of subject.versioning) {
    const status = versioning.versioningConfigurationInput?.status;
    if (status !== "Enabled") {
      return nonCompliant(
        `${versioning.node.path} sets versioning_configuration.status = ${JSON.stringify(status ?? null)}`,
      );
    }
  }
  return compliant(`versioning enabled by ${subject.versioning.map((v) => v.node.path).join(", ")}`);
});
