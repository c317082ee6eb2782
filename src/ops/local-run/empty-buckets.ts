import { DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectVersionsCommandOutput } from "@aws-sdk/client-s3";
import { AwsClients } from "../aws-clients";

/** A bucket and its region (S3 answers in the bucket's region). */
export interface BucketRef {
  readonly name: string;
  readonly region: string;
}

/**
 * Deletes every object version and delete marker in `bucket`; returns how many. For teardown
 * only: buckets keep `force_destroy` off, so Terraform cannot delete a bucket that holds objects.
 */
export async function emptyBucket(bucket: BucketRef, clients: AwsClients): Promise<number> {
  const s3 = clients.s3(bucket.region);
  let deleted = 0;
  let page: ListObjectVersionsCommandOutput;
  do {
    // Always from the start: the previous page's entries are gone.
    page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket.name, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key as string,
      VersionId: v.VersionId,
    }));
    if (objects.length === 0) break;
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket.name, Delete: { Objects: objects, Quiet: true } }),
    );
    if ((result.Errors ?? []).length > 0) {
      const first = result.Errors?.[0];
      throw new Error(
        `could not delete ${result.Errors?.length} object(s) from ${bucket.name}, e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`,
      );
    }
    deleted += objects.length;
  } while (page.IsTruncated);
  return deleted;
}
