/**
 * Empties buckets before Terraform deletes them. The stack keeps `force_destroy` off (a
 * deployment must never delete objects on its own), so `terraform destroy` refuses a bucket that
 * still holds objects, and log buckets always do: S3 (and moto) deliver access logs into them.
 * The teardown deletes every version and delete marker of the buckets left in the state, then
 * destroys again. Used only for deployments the runner itself created.
 */
import {
  DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectVersionsCommandOutput, S3Client,
} from "@aws-sdk/client-s3";

/** A bucket and its region (S3 answers in the bucket's region). */
export interface BucketRef {
  readonly name: string;
  readonly region: string;
}

/** An S3 client for `region` configured only from `env` (the emulator's, or a real account's). */
export function s3ClientFor(region: string, env: Record<string, string | undefined>): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL;
  const credentials = env.AWS_ACCESS_KEY_ID !== undefined && env.AWS_SECRET_ACCESS_KEY !== undefined
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  return new S3Client({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: env.AWS_S3_USE_PATH_STYLE === "true",
    ...(credentials === undefined ? {} : { credentials }),
  });
}

/** Deletes every object version and delete marker in `bucket`; returns how many. */
export async function emptyBucket(bucket: BucketRef, env: Record<string, string | undefined>): Promise<number> {
  const s3 = s3ClientFor(bucket.region, env);
  let deleted = 0;
  try {
    let page: ListObjectVersionsCommandOutput;
    do {
      // Always from the start: the previous page's entries are gone.
      page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket.name, MaxKeys: 1000 }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
      if (objects.length === 0) break;
      const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket.name, Delete: { Objects: objects, Quiet: true } }));
      if ((result.Errors ?? []).length > 0) {
        const first = result.Errors?.[0];
        throw new Error(`could not delete ${result.Errors?.length} object(s) from ${bucket.name}, e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`);
      }
      deleted += objects.length;
    } while (page.IsTruncated);
  } finally {
    s3.destroy();
  }
  return deleted;
}
