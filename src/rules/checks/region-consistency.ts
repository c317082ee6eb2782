import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { ResourceSubject } from "../subjects";
import { Outcome, compliant, nonCompliant, notApplicable } from "../outcome";
import { namedAfterFile } from "../rule";

/**
 * The arguments through which AWS requires a resource to reach into another region: a
 * replication configuration names its destination bucket and the destination-region key that
 * encrypts the replicas (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html).
 */
const CROSS_REGION_ARGUMENTS = [
  "rule.destination.bucket",
  "rule.destination.encryption_configuration.replica_kms_key_id",
];

/**
 * Compliant: every bucket and KMS key the resource uses is in its own provider's region, replication's destination aside.
 *
 * Uses: the `bucket` of S3's standalone resources, a default-encryption key, a log target, an
 * alias's or key policy's key (see `subject.ts`). A replication configuration may name its
 * destination bucket and replica key in another region (`CROSS_REGION_ARGUMENTS`). IAM
 * documents only name ARNs and use nothing: IAM resources are not applicable.
 */
export default namedAfterFile(__filename, (subject: ResourceSubject): Outcome => {
  if (subject.uses.length === 0) return notApplicable("uses no bucket or KMS key");
  const exempt = subject.resource instanceof S3BucketReplicationConfigurationA;
  const crossings: string[] = [];
  const allowed: string[] = [];
  for (const use of subject.uses) {
    if (use.targetRegion === undefined || use.targetRegion === subject.region) continue;
    const line = `${use.argument} uses ${use.kind} ${use.target} of ${use.targetRegion}`;
    if (exempt && CROSS_REGION_ARGUMENTS.includes(use.argument)) allowed.push(line);
    else crossings.push(line);
  }
  if (crossings.length > 0) return nonCompliant(`the resource is in ${subject.region} but ${crossings.join("; ")}`);
  return compliant(
    allowed.length > 0
      ? `same region (${subject.region}), except as AWS requires: ${allowed.join("; ")}`
      : `every bucket and key used is in ${subject.region}`,
  );
});
