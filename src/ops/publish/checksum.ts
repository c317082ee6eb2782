/**
 * The SHA-256 checksum S3 stores for an object, computed locally, so a file is compared with
 * its object by content and never by modification time or ETag (under SSE-KMS, or for a
 * multipart upload, an ETag is not an MD5 of the content).
 *
 * S3 keeps the checksum an upload sends (`ChecksumAlgorithm: SHA256`) and returns it on
 * `HeadObject` with `ChecksumMode: ENABLED`. For a single PUT it is the SHA-256 of the bytes;
 * for a multipart upload it is composite: the SHA-256 of the concatenated SHA-256 digests of
 * the parts, with `-<number of parts>` appended
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html,
 * "Using part-level checksums for multipart uploads"). So the local side hashes large files
 * part by part with the same part size the upload uses.
 */
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import type { EmulatorDifference } from "../emulator/differences";

/**
 * Files up to this size go up in one PUT; larger ones as a multipart upload of parts of this
 * size (S3 allows 5 MiB to 5 GiB per part, at most 10,000 parts).
 */
export const PART_SIZE = 8 * 1024 * 1024;

/** The checksum S3 will store for a file of `size` bytes uploaded the way publish uploads it. */
export async function fileChecksum(path: string, size: number): Promise<string> {
  // A small file (most of a site) in one synchronous read, after a turn of the event loop so
  // the network replies of the publish's other work are handled between files. An asynchronous
  // read takes four trips through libuv's thread pool (open, stat, read, close), and their
  // callbacks cost the main thread more than the read: 1,000 files of 20 kB took 140–210 ms
  // of CPU that way and 30–80 ms with one synchronous read each (measured), and on a re-run that
  // main-thread time delayed the bucket's listing.
  if (size <= PART_SIZE) {
    await new Promise((resolve) => setImmediate(resolve));
    return createHash("sha256").update(readFileSync(path)).digest("base64");
  }
  const parts: Buffer[] = [];
  let part = createHash("sha256");
  let inPart = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(PART_SIZE - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === PART_SIZE) {
        parts.push(part.digest());
        part = createHash("sha256");
        inPart = 0;
      }
    }
  }
  if (inPart > 0) parts.push(part.digest());
  return `${createHash("sha256").update(Buffer.concat(parts)).digest("base64")}-${parts.length}`;
}

/**
 * Whether S3's stored checksum is the local one: the same digest and the same part count. With
 * the emulator difference `multipart-checksum-without-part-count` passed in (moto stores a
 * multipart object's composite digest without the `-<parts>` suffix), a stored checksum without
 * a part count is compared by its digest alone: the digest of the part digests already fixes
 * the parts.
 */
export function sameChecksum(
  local: string,
  stored: string | undefined,
  differences: readonly EmulatorDifference[] = [],
): boolean {
  if (stored === undefined) return false;
  if (local === stored) return true;
  const [localDigest, localParts] = local.split("-");
  const [storedDigest, storedParts] = stored.split("-");
  return (
    localDigest === storedDigest &&
    storedParts === undefined &&
    localParts !== undefined &&
    differences.some((d) => d.id === "multipart-checksum-without-part-count")
  );
}
