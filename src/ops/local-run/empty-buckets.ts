import { AwsClients } from "../aws-clients";
import { deleteAllVersions } from "../s3-objects";

/** A bucket and its region (S3 answers in the bucket's region). */
export interface BucketRef {
  readonly name: string;
  readonly region: string;
}

/**
 * Deletes every object version and delete marker in `bucket`; returns how many. For teardown
 * only: buckets keep `force_destroy` off, so Terraform cannot delete a bucket that holds objects.
 */
export function emptyBucket(bucket: BucketRef, clients: AwsClients): Promise<number> {
  return deleteAllVersions(clients.s3(bucket.region), bucket.name);
}
