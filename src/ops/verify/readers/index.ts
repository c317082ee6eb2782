import { cloudfrontDistributionReader } from "./cloudfront-distribution";
import { cloudfrontOacReader } from "./cloudfront-origin-access-control";
import { iamRoleReader } from "./iam-role";
import { iamRolePolicyReader } from "./iam-role-policy";
import { kmsAliasReader } from "./kms-alias";
import { kmsKeyReader } from "./kms-key";
import { kmsKeyPolicyReader } from "./kms-key-policy";
import { ResourceReader } from "./reader";
import { s3BucketReader } from "./s3-bucket";
import {
  s3EncryptionReader,
  s3LoggingReader,
  s3OwnershipReader,
  s3PolicyReader,
  s3PublicAccessBlockReader,
  s3VersioningReader,
} from "./s3-bucket-configurations";
import { s3LifecycleReader } from "./s3-lifecycle";
import { s3ReplicationReader } from "./s3-replication";

/**
 * Every reader, by the Terraform type it reads. A declared type without a reader is named in the
 * result's `notShown`: adding a resource type to the verifier is adding its reader here.
 */
export const READERS: ReadonlyMap<string, ResourceReader> = new Map(
  [
    s3BucketReader,
    s3VersioningReader,
    s3EncryptionReader,
    s3PublicAccessBlockReader,
    s3OwnershipReader,
    s3PolicyReader,
    s3LifecycleReader,
    s3LoggingReader,
    s3ReplicationReader,
    kmsKeyReader,
    kmsKeyPolicyReader,
    kmsAliasReader,
    iamRoleReader,
    iamRolePolicyReader,
    cloudfrontOacReader,
    cloudfrontDistributionReader,
  ].map((reader) => [reader.type, reader]),
);
