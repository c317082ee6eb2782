/**
 * Deleting the probe's object versions. To merge: the verifier's one function that deletes
 * every version of given object keys replaces this file.
 */
import { DeleteObjectCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";

/** Deletes every version and delete marker of `keys` in `bucket`; returns how many are left. */
export async function removeAllVersions(s3: S3Client, bucket: string, keys: readonly string[]): Promise<number> {
  const list = async () => {
    const found = [];
    for (const key of keys) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
      found.push(...[...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((v) => v.Key === key));
    }
    return found;
  };
  for (const version of await list()) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId }));
  }
  return (await list()).length;
}
