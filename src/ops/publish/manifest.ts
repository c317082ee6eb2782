/**
 * The publish manifest: one object in the bucket recording, for every object a publish wrote,
 * the version id S3 gave it and the SHA-256 checksum and headers it was written with. It saves
 * a HeadObject per file on a re-run (1,000 HEADs took 14.7 s on the emulator, longer than
 * `aws s3 sync` re-uploading everything), and it is never trusted blindly:
 *
 * - an entry counts only while its version id is the object's current version, as
 *   `ListObjectVersions` reports it. The primary bucket is versioned, and every write to a key
 *   (a PUT, a copy, a metadata change) makes a new version id, so a matching id means the object
 *   is exactly the one publish wrote, whose checksum S3 verified on arrival;
 * - anything else (no manifest, an unreadable one, another version, an unversioned bucket whose
 *   version ids are all "null") falls back to HeadObject with `ChecksumMode: ENABLED`.
 * So the authority stays S3's stored ChecksumSHA256; the manifest only remembers it.
 *
 * Why the listing is ListObjectVersions, although ListObjectsV2 answers faster (about half the
 * time on the emulator): ListObjectsV2 gives no version id, and what it gives cannot prove an
 * object unchanged. The ETag "reflects changes only to the contents of an object, not its
 * metadata" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html), and a copy keeps
 * it ("The source and destination ETag is identical for a successfully copied object",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObjectResult.html), so a copy in place
 * that changed Content-Type or Cache-Control keeps the ETag; LastModified has one-second
 * resolution, so such a copy within the second of publish's write keeps that too.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { isRecord } from "../../common/json";
import { PUBLISH_PREFIX } from "./key-rules";
import type { RemoteObject } from "./plan";

/** Where the manifest lives: a prefix of its own, never a site file, never deleted by a publish. */
export const MANIFEST_KEY = `${PUBLISH_PREFIX}manifest.json`;

/** What publish wrote under one key. */
export interface ManifestEntry {
  readonly versionId: string;
  readonly size: number;
  readonly checksum: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** An entry read from JSON, or undefined when it is not one. */
function entryOf(value: unknown): ManifestEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { versionId, size, checksum, contentType, cacheControl } = value;
  if (
    typeof versionId === "string" &&
    typeof size === "number" &&
    typeof checksum === "string" &&
    typeof contentType === "string" &&
    typeof cacheControl === "string"
  )
    return { versionId, size, checksum, contentType, cacheControl };
  return undefined;
}

/** The manifest's entries by key; empty when there is none or it cannot be read. */
export async function readManifest(s3: S3Client, bucket: string): Promise<Map<string, ManifestEntry>> {
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: MANIFEST_KEY }));
    const parsed: unknown = JSON.parse((await answer.Body?.transformToString()) ?? "");
    const objects = isRecord(parsed) && isRecord(parsed.objects) ? parsed.objects : {};
    return new Map(
      Object.entries(objects).flatMap(([key, value]) => {
        const entry = entryOf(value);
        return entry === undefined ? [] : [[key, entry] as const];
      }),
    );
  } catch {
    return new Map();
  }
}

/**
 * What the manifest says about each current object whose version id it recorded: the same
 * object publish wrote, so its checksum and headers are known without a HEAD.
 */
export function knownObjects(
  current: ReadonlyMap<string, RemoteObject>,
  manifest: ReadonlyMap<string, ManifestEntry>,
): Map<string, RemoteObject> {
  const known = new Map<string, RemoteObject>();
  for (const [key, object] of current) {
    const entry = manifest.get(key);
    if (entry === undefined || object.versionId === undefined || object.versionId === "null") continue;
    if (entry.versionId === object.versionId && entry.size === object.size) known.set(key, { ...entry });
  }
  return known;
}

/** Writes the manifest (never cached: it changes on every publish). */
export async function writeManifest(
  s3: S3Client,
  bucket: string,
  entries: ReadonlyMap<string, ManifestEntry>,
): Promise<void> {
  const sorted = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const body = Buffer.from(`${JSON.stringify({ version: 1, objects: sorted })}\n`);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: MANIFEST_KEY,
      Body: body,
      ContentType: "application/json; charset=utf-8",
      CacheControl: "no-store",
      ChecksumAlgorithm: "SHA256",
      ChecksumSHA256: createHash("sha256").update(body).digest("base64"),
    }),
  );
}
