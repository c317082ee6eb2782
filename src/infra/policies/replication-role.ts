import { PolicyDocument, bucketArn, objectsArn, policyDocument } from "./document";

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
 * Only S3 may assume the role, only for our account and our source bucket (the confused-deputy
 * guard: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 */
export function replicationTrustPolicy(props: ReplicationPolicyProps): PolicyDocument {
  return policyDocument([
    {
      Sid: "AllowS3ToAssumeForReplication",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": props.accountId },
        ArnLike: { "aws:SourceArn": bucketArn(props.partition, props.sourceBucketName) },
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
        StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContext(props.partition, props.sourceBucketName) },
      },
    },
    {
      Sid: "EncryptWithDestinationKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
      Resource: props.destinationKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${props.destinationRegion}.${props.dnsSuffix}` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContext(props.partition, props.destinationBucketName) },
      },
    },
  ]);
}
