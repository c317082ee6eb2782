import { GetBucketReplicationCommand, ReplicationRule } from "@aws-sdk/client-s3";
import { bucketConfigurationReader } from "./reader";
import { filterBlock } from "./s3-filter";

const status = (block: { Status?: string } | undefined) => block && { status: block.Status };

/** One rule as `aws_s3_bucket_replication_configuration` holds it. */
function ruleBlock(rule: ReplicationRule): Record<string, unknown> {
  const destination = rule.Destination;
  const selection = rule.SourceSelectionCriteria;
  return {
    id: rule.ID,
    status: rule.Status,
    priority: rule.Priority,
    filter: filterBlock(rule.Filter, rule.Prefix),
    delete_marker_replication: status(rule.DeleteMarkerReplication),
    existing_object_replication: status(rule.ExistingObjectReplication),
    source_selection_criteria: selection && {
      sse_kms_encrypted_objects: status(selection.SseKmsEncryptedObjects),
      replica_modifications: status(selection.ReplicaModifications),
    },
    destination: destination && {
      bucket: destination.Bucket,
      storage_class: destination.StorageClass,
      account: destination.Account,
      encryption_configuration: destination.EncryptionConfiguration && {
        replica_kms_key_id: destination.EncryptionConfiguration.ReplicaKmsKeyID,
      },
      access_control_translation: destination.AccessControlTranslation && {
        owner: destination.AccessControlTranslation.Owner,
      },
      replication_time: destination.ReplicationTime && {
        status: destination.ReplicationTime.Status,
        time: { minutes: destination.ReplicationTime.Time?.Minutes },
      },
      metrics: destination.Metrics && {
        status: destination.Metrics.Status,
        event_threshold: { minutes: destination.Metrics.EventThreshold?.Minutes },
      },
    },
  };
}

/** `aws_s3_bucket_replication_configuration`: the role and the rules, read from the source bucket. */
export const s3ReplicationReader = bucketConfigurationReader(
  "aws_s3_bucket_replication_configuration",
  (s3, Bucket) => s3.send(new GetBucketReplicationCommand({ Bucket })),
  ["ReplicationConfigurationNotFoundError"],
  ({ ReplicationConfiguration: configuration }) =>
    configuration && { role: configuration.Role, rule: (configuration.Rules ?? []).map(ruleBlock) },
);
