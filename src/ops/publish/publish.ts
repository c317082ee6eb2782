/**
 * A publish into a bucket: what it holds read back, the plan made, then the writes in order
 * (assets, HTML pages, deletes), then the invalidation. Every file that fails is named and the
 * others still go up; an HTML page goes up only when every asset did (it may link to the one
 * that failed), and nothing is deleted unless every upload succeeded.
 */
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { S3Client } from "@aws-sdk/client-s3";
import { deleteObject, headObject, uploadObject } from "./bucket-objects";
import { CannotRunError } from "../aws-errors";
import { InvalidationPaths, createInvalidation, invalidationPaths, waitForInvalidation } from "./invalidation";
import { deepEqual } from "../../common/json";
import type { EmulatorDifference } from "../emulator/differences";
import { RESERVED_PREFIXES } from "./key-rules";
import { ManifestEntry, knownObjects, readManifest, writeManifest } from "./manifest";
import type { WithObjectWrites } from "../emulator/object-writes";
import { LocalObject, PublishPlan, RemoteObject, planPublish } from "./plan";
import { settleEach } from "./pool";
import { Progress, ProgressOutput, formatBytes } from "./progress";
import type { PublishTarget } from "./target";

/** Requests in flight at once: S3 scales per prefix far beyond this; it bounds sockets and memory. */
export const CONCURRENCY = 32;

/** Everything a publish needs. */
export interface PublishInput {
  /**
   * The files, hashed, or still being hashed: the bucket is read meanwhile (on a re-run with
   * nothing to upload, listing the bucket and hashing the files are most of the time).
   */
  readonly files: readonly LocalObject[] | Promise<readonly LocalObject[]>;
  /**
   * The current version of every key in the bucket (bucket-listing.ts's `currentVersions`), called
   * when the bucket is read: `npm run publish` hands over the listing it started as soon as STS
   * named the bucket.
   */
  readonly listing: () => Promise<Map<string, RemoteObject>>;
  readonly target: PublishTarget;
  readonly s3: S3Client;
  /**
   * The distribution to invalidate (undefined: there is none), looked up while the bucket is
   * read and awaited before anything is written, so a lookup that fails writes nothing.
   */
  readonly distribution: () => Promise<string | undefined>;
  /** Made only to invalidate: a publish that changed nothing does not load the CloudFront client. */
  readonly cloudfront: () => CloudFrontClient;
  /** Object calls run inside it (on the emulator it lifts the bucket policy). */
  readonly withObjectWrites: WithObjectWrites;
  /** The known differences of the emulator the bucket is on (`EMULATOR_DIFFERENCES`); empty on AWS. */
  readonly differences: readonly EmulatorDifference[];
  readonly dryRun: boolean;
  /** Delete objects whose file is gone (`--no-delete` turns it off). */
  readonly deleteGone: boolean;
  /** Wait for the invalidation to complete. */
  readonly wait: boolean;
  readonly isFingerprinted: (key: string) => boolean;
  readonly collapseAt: number;
  /** Where progress and the plan of a dry run go. */
  readonly out: ProgressOutput;
}

/** A file that could not be published, and why. */
export interface Failure {
  readonly key: string;
  readonly reason: string;
}

/** What a publish did (or, in a dry run, would do). */
export interface PublishReport {
  readonly plan: PublishPlan;
  readonly uploaded: readonly LocalObject[];
  readonly deleted: readonly string[];
  readonly failed: readonly Failure[];
  /** Why the deletes did not run, when they were planned. */
  readonly deletesSkipped?: string;
  readonly invalidation: InvalidationOutcome;
  /** What a dry run could not read. */
  readonly notes: readonly string[];
}

/** The invalidation sent, or why none was. */
export type InvalidationOutcome =
  | { readonly sent: true; readonly id: string; readonly paths: InvalidationPaths; readonly completed: boolean }
  | { readonly sent: false; readonly why: string; readonly paths?: InvalidationPaths };

function reasonOf(error: unknown): string {
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return `${err.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${err.message ?? String(error)}`;
}

/** What the bucket holds, read back, and the files it was compared with. */
interface BucketContents {
  readonly files: readonly LocalObject[];
  readonly remote: Map<string, RemoteObject>;
  /** The manifest's entries (see manifest.ts). */
  readonly manifest: ReadonlyMap<string, ManifestEntry>;
  /** Objects whose HEAD failed (their files are uploaded again), and the first error. */
  readonly unreadable: number;
  readonly firstError?: string;
}

/**
 * What the bucket holds: every current version (one listing), the checksum and headers of the
 * objects the manifest vouches for, and a HEAD for each other object whose size matches its
 * file's (an object of another size differs anyway).
 */
async function readBucket(input: PublishInput): Promise<BucketContents> {
  const { s3, target } = input;
  const listing = Promise.all([input.listing(), readManifest(s3, target.bucket)]).catch((error: unknown) => {
    throw new CannotRunError("access", `cannot list the objects of ${target.bucket}: ${reasonOf(error)}`);
  });
  const [[remote, manifest], files] = await Promise.all([listing, input.files]);
  for (const [key, object] of knownObjects(remote, manifest)) remote.set(key, object);
  const candidates = files.filter((file) => {
    const object = remote.get(file.key);
    return object?.size === file.size && object.checksum === undefined;
  });
  const heads = await settleEach(candidates, CONCURRENCY, (file) => headObject(s3, target.bucket, file.key));
  let unreadable = 0;
  let firstError: string | undefined;
  heads.forEach((head, i) => {
    // A HEAD that fails leaves the object's checksum unknown: the file is uploaded again.
    if (head.status === "fulfilled") remote.set(candidates[i].key, head.value);
    else {
      unreadable += 1;
      firstError ??= reasonOf(head.reason);
    }
  });
  return { files, remote, manifest, unreadable, firstError };
}

/** A file that went up, and the version id S3 gave it. */
interface Uploaded {
  readonly file: LocalObject;
  readonly versionId?: string;
}

/** One wave of uploads; returns what went up and what failed. */
async function uploadWave(input: PublishInput, label: string, files: readonly LocalObject[], progress: Progress) {
  if (files.length === 0) return { uploaded: [] as Uploaded[], failed: [] as Failure[] };
  progress.start(label, files.length);
  const results = await settleEach(files, CONCURRENCY, async (file) => {
    const versionId = await uploadObject(input.s3, input.target.bucket, file);
    progress.step(`uploaded ${file.key} (${formatBytes(file.size)}, ${file.cacheControl})`, file.size);
    return versionId;
  });
  progress.end();
  const uploaded = results.flatMap((r, i) =>
    r.status === "fulfilled" ? [{ file: files[i], versionId: r.value }] : [],
  );
  const failed = results.flatMap((r, i) =>
    r.status === "rejected" ? [{ key: files[i].key, reason: reasonOf(r.reason) }] : [],
  );
  return { uploaded, failed };
}

/** Assets, then HTML (only when every asset went up), then deletes (only when every upload did). */
async function write(input: PublishInput, plan: PublishPlan) {
  const progress = new Progress(input.out);
  const assets = await uploadWave(input, "assets", plan.assets, progress);
  const blocked = assets.failed.length > 0;
  const html = blocked ? { uploaded: [], failed: [] } : await uploadWave(input, "html pages", plan.html, progress);
  const heldBack: Failure[] = blocked
    ? plan.html.map((f) => ({ key: f.key, reason: "not uploaded: an asset failed, and this page may link to it" }))
    : [];
  const failed = [...assets.failed, ...html.failed, ...heldBack];
  let deletesSkipped: string | undefined;
  const deleted: string[] = [];
  if (plan.deletes.length > 0 && failed.length > 0) deletesSkipped = "not every upload succeeded";
  else if (plan.deletes.length > 0) {
    progress.start("deletes", plan.deletes.length);
    const results = await settleEach(plan.deletes, CONCURRENCY, async (key) => {
      await deleteObject(input.s3, input.target.bucket, key);
      progress.step(`deleted ${key} (its earlier versions are kept)`);
    });
    progress.end();
    results.forEach((r, i) => {
      if (r.status === "fulfilled") deleted.push(plan.deletes[i]);
      else failed.push({ key: plan.deletes[i], reason: `delete failed: ${reasonOf(r.reason)}` });
    });
  }
  const uploaded = [...assets.uploaded, ...html.uploaded];
  return { uploaded, failed, deleted, deletesSkipped };
}

/**
 * The manifest after a publish: what went up (with its new version id), what was unchanged
 * (with the version id it was read at), and the kept objects' previous entries; nothing for
 * what failed or was deleted, so the next run reads those with a HEAD.
 */
export function nextManifest(
  contents: Pick<BucketContents, "remote" | "manifest">,
  plan: PublishPlan,
  uploaded: readonly Uploaded[],
): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  const entry = (file: LocalObject, versionId: string | undefined) => {
    if (versionId === undefined || versionId === "null") return;
    const { size, checksum, contentType, cacheControl } = file;
    entries.set(file.key, { versionId, size, checksum, contentType, cacheControl });
  };
  for (const file of plan.unchanged) entry(file, contents.remote.get(file.key)?.versionId);
  for (const up of uploaded) entry(up.file, up.versionId);
  for (const key of plan.kept) {
    const previous = contents.manifest.get(key);
    if (previous !== undefined && previous.versionId === contents.remote.get(key)?.versionId)
      entries.set(key, previous);
  }
  return entries;
}

/**
 * The distribution lookup, started once the bucket's reads are on their way: loading the
 * CloudFront client holds the main thread for about 50 ms (measured under tsx), which would
 * otherwise delay them.
 */
function lookUpDistribution(input: PublishInput): Promise<string | undefined> {
  const lookup = new Promise<void>((resolve) => setImmediate(resolve)).then(() => input.distribution());
  lookup.catch(() => undefined); // awaited by the caller, unless reading the bucket failed first
  return lookup;
}

/** The invalidation of what changed, when there is a distribution. */
async function invalidate(
  input: PublishInput,
  touched: readonly string[],
  distributionId: string | undefined,
): Promise<InvalidationOutcome> {
  if (distributionId === undefined)
    return { sent: false, why: "the stack has no CloudFront distribution deployed: nothing to invalidate" };
  const paths = invalidationPaths(touched, input.isFingerprinted, input.collapseAt);
  if (paths.paths.length === 0) return { sent: false, why: "no path to invalidate", paths };
  if (input.dryRun) return { sent: false, why: "dry run", paths };
  const id = await createInvalidation(input.cloudfront(), distributionId, paths.paths);
  if (!input.wait) return { sent: true, id, paths, completed: false };
  await waitForInvalidation(input.cloudfront(), distributionId, id, (line) => input.out.write(`${line}\n`));
  return { sent: true, id, paths, completed: true };
}

/** Publishes `input.files` into the target (or, with `dryRun`, only plans it). */
export async function publishFiles(input: PublishInput): Promise<PublishReport> {
  const options = { deleteGone: input.deleteGone, ignored: RESERVED_PREFIXES, differences: input.differences };
  if (input.dryRun) {
    const notes: string[] = [];
    const reading = readBucket(input);
    const distribution = lookUpDistribution(input);
    const contents = await reading.catch(async (error: unknown): Promise<BucketContents> => {
      notes.push(`${(error as Error).message}; a dry run lifts nothing, so every file is shown as an upload`);
      const files = await input.files;
      return { files, remote: new Map<string, RemoteObject>(), manifest: new Map(), unreadable: 0 };
    });
    if (contents.unreadable > 0)
      notes.push(
        `${contents.unreadable} object(s) could not be read (${contents.firstError}); a dry run lifts nothing, so their files are shown as uploads`,
      );
    const plan = planPublish(contents.files, contents.remote, options);
    const touched = [...plan.assets, ...plan.html].map((f) => f.key).concat(plan.deletes);
    const invalidation = await invalidate(input, touched, await distribution);
    return { plan, uploaded: [], deleted: [], failed: [], invalidation, notes };
  }
  const bucket = { name: input.target.bucket, region: input.target.region };
  const notes: string[] = [];
  const { plan, result, distributionId } = await input.withObjectWrites(bucket, async () => {
    const reading = readBucket(input);
    const distribution = lookUpDistribution(input);
    const contents = await reading.catch(async (error: unknown) => {
      await distribution.catch(() => undefined); // no lookup outlives the run
      throw error;
    });
    const distributionId = await distribution;
    const plan = planPublish(contents.files, contents.remote, options);
    const result = await write(input, plan);
    const manifest = nextManifest(contents, plan, result.uploaded);
    if (!deepEqual(Object.fromEntries(manifest), Object.fromEntries(contents.manifest))) {
      await writeManifest(input.s3, input.target.bucket, manifest).catch((error: unknown) =>
        notes.push(
          `the manifest could not be written (${reasonOf(error)}): the next run reads every object with a HEAD`,
        ),
      );
    }
    return { plan, result, distributionId };
  });
  const touched = result.uploaded.map((u) => u.file.key).concat(result.deleted);
  let invalidation: InvalidationOutcome;
  try {
    invalidation = await invalidate(input, touched, distributionId);
  } catch (error) {
    invalidation = { sent: false, why: `the invalidation failed: ${reasonOf(error)}` };
    result.failed.push({ key: "(invalidation)", reason: reasonOf(error) });
  }
  return { plan, ...result, uploaded: result.uploaded.map((u) => u.file), invalidation, notes };
}
