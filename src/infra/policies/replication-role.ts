import { bucketArn, keysInRegion, objectsArn } from "../../common/arn";
import { PolicyDocument, policyDocument } from "./document";

/** The two ends of a replication link, and the keys that encrypt them. */
export interface ReplicationPolicyProps {
  readonly partition: string;
  readonly accountId: string;
  /** DNS suffix of the partition's endpoints ("amazonaws.com", "amazonaws.com.cn"), read from AWS. */
  readonly dnsSuffix: string;
  readonly sourceBucketName: string;
  readonly sourceRegion: string;
  /** ARN of the source-region key (decrypts what is read). */
  readonly sourceKeyArn: string;
  readonly destinationBucketName: string;
  readonly destinationRegion: string;
  /** ARN of the destination-region key (encrypts the replicas). */
  readonly destinationKeyArn: string;
}

/**
 * Only S3 may assume the role, and, wherever S3 says for whom, only for our account and our
 * source bucket (the confused-deputy guard:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 *
 * `…IfExists`, because no AWS document says S3 live replication sends `aws:SourceAccount` and
 * `aws:SourceArn` when it assumes the replication role, and AWS's own replication role examples
 * carry no condition
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
 * A plain `StringEquals` on a key S3 does not send would deny every assume silently: each object
 * would end up `FAILED`, with no error anywhere. With `IfExists` the conditions still refuse any
 * other account or bucket wherever S3 does send the keys. `npm run verify` proves the role works
 * on AWS with a replication probe.
 */
export function replicationTrustPolicy(props: ReplicationPolicyProps): PolicyDocument {
  return policyDocument([
    {
      Sid: "AllowS3ToAssumeForReplication",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEqualsIfExists: { "aws:SourceAccount": props.accountId },
        ArnLikeIfExists: { "aws:SourceArn": bucketArn(props.partition, props.sourceBucketName) },
      },
    },
  ]);
}

/**
 * The KMS encryption context S3 uses for an object in `bucket`. With an S3 Bucket Key the
 * context is the bucket ARN, without one the object ARN; both are allowed so objects written
 * either way replicate, and nothing outside this bucket matches.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-encryption-context
 */
export function s3EncryptionContext(partition: string, bucketName: string): string[] {
  return [bucketArn(partition, bucketName), objectsArn(partition, bucketName)];
}

/**
 * Least-privilege permissions of the replication role, on exact ARNs:
 * read the source's replication configuration and object versions, write replicas, decrypt with
 * the source key and encrypt with the destination key, each through S3 in that key's region
 * only (`kms:ViaService`). The destination also needs `kms:GenerateDataKey` and `kms:Decrypt`:
 * with a Bucket Key, S3 makes a bucket-level data key and decrypts it to derive object keys.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
export function replicationPermissionsPolicy(props: ReplicationPolicyProps): PolicyDocument {
  return policyDocument([
    {
      Sid: "ReadSourceReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: bucketArn(props.partition, props.sourceBucketName),
    },
    {
      Sid: "ReadSourceObjectVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: objectsArn(props.partition, props.sourceBucketName),
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: objectsArn(props.partition, props.destinationBucketName),
    },
    {
      Sid: "DecryptWithSourceKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: props.sourceKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${props.sourceRegion}.${props.dnsSuffix}` },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": s3EncryptionContext(props.partition, props.sourceBucketName),
        },
      },
    },
    {
      Sid: "EncryptWithDestinationKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: props.destinationKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${props.destinationRegion}.${props.dnsSuffix}` },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": s3EncryptionContext(props.partition, props.destinationBucketName),
        },
      },
    },
  ]);
}

/** The replication link as the CI roles' stack knows it: without the keys, which it cannot read. */
export type ReplicationBoundaryProps = Omit<ReplicationPolicyProps, "sourceKeyArn" | "destinationKeyArn">;

/**
 * The permissions boundary of the replication role when the CI's apply role manages that role:
 * the role's own permissions, with each key named by its region only (the keys live in the
 * storage stack; the boundary is created before them). Whatever inline policy the apply role
 * writes, the role can never do more than replicate between these two buckets through S3.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function replicationBoundaryPolicy(props: ReplicationBoundaryProps): PolicyDocument {
  return replicationPermissionsPolicy({
    ...props,
    sourceKeyArn: keysInRegion(props.partition, props.sourceRegion, props.accountId),
    destinationKeyArn: keysInRegion(props.partition, props.destinationRegion, props.accountId),
  });
}
