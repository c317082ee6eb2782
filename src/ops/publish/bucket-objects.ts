/**
 * The S3 calls of a publish: list what the bucket holds, read an object's stored checksum and
 * headers, upload a file, delete an object. No encryption header is ever sent: the bucket's
 * default (SSE-KMS with its key and the Bucket Key) applies to every object, while a request
 * header such as `x-amz-server-side-encryption: AES256` would override it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html).
 */
import { createReadStream, readFileSync } from "node:fs";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { PART_SIZE } from "./checksum";
import type { LocalObject, RemoteObject } from "./plan";

/** An object's size, stored SHA-256 checksum (`ChecksumMode: ENABLED`) and headers. */
export async function headObject(s3: S3Client, bucket: string, key: string): Promise<RemoteObject> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
  return {
    size: head.ContentLength ?? 0,
    versionId: head.VersionId,
    checksum: head.ChecksumSHA256,
    contentType: head.ContentType,
    cacheControl: head.CacheControl,
  };
}

/** Parts in flight per multipart upload (uploads of several files already run side by side). */
const PART_QUEUE = 4;

/**
 * Uploads one file with its headers and its SHA-256 checksum, which S3 checks on arrival and
 * stores. Up to PART_SIZE: one PUT with the precomputed checksum (S3 refuses the PUT when the
 * bytes do not match it, so a file edited since it was hashed is never stored under a stale
 * checksum). Larger: a multipart upload by `@aws-sdk/lib-storage`, SHA-256 per part.
 * Returns the version id S3 gave the object.
 */
export async function uploadObject(s3: S3Client, bucket: string, file: LocalObject): Promise<string | undefined> {
  const common = {
    Bucket: bucket,
    Key: file.key,
    ContentType: file.contentType,
    CacheControl: file.cacheControl,
    ChecksumAlgorithm: "SHA256" as const,
  };
  if (file.size <= PART_SIZE) {
    const put = await s3.send(
      new PutObjectCommand({ ...common, Body: readFileSync(file.path), ChecksumSHA256: file.checksum }),
    );
    return put.VersionId;
  }
  // Loaded only for a large file: most sites have none, and every run pays for what it loads.
  const { Upload } = await import("@aws-sdk/lib-storage");
  const done = await new Upload({
    client: s3,
    params: { ...common, Body: createReadStream(file.path) },
    partSize: PART_SIZE,
    queueSize: PART_QUEUE,
  }).done();
  return done.VersionId;
}

/**
 * Deletes the current version of `key`: with no version id, a versioned bucket adds a delete
 * marker and keeps every earlier version, so a deleted page can be brought back
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html).
 */
export async function deleteObject(s3: S3Client, bucket: string, key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
