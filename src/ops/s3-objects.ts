import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  S3Client,
} from "@aws-sdk/client-s3";

/**
 * The one function that deletes object versions: every version and delete marker in `bucket`,
 * or only those of the object `key`. Returns how many it deleted; throws when S3 refuses one.
 * Buckets keep `force_destroy` off, so Terraform cannot delete a bucket that still holds a
 * version; the probe and the local run's teardown both clean up through here.
 */
export async function deleteAllVersions(s3: S3Client, bucket: string, key?: string): Promise<number> {
  let deleted = 0;
  let page: ListObjectVersionsCommandOutput;
  do {
    // Always from the start: the previous page's entries are gone.
    page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => key === undefined || v.Key === key)
      .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
    if (objects.length === 0) break;
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
    if ((result.Errors ?? []).length > 0) {
      const first = result.Errors?.[0];
      throw new Error(
        `could not delete ${result.Errors?.length} object version(s) from ${bucket}, e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`,
      );
    }
    deleted += objects.length;
  } while (page.IsTruncated);
  return deleted;
}
