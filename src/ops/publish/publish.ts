/**
 * A publish into a bucket: what it holds read back, the plan made, then the writes in order
 * (assets, HTML pages, deletes), then the invalidation. Every file that fails is named and the
 * others still go up; an HTML page goes up only when every asset did (it may link to the one
 * that failed), and nothing is deleted unless every upload succeeded.
 */
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { S3Client } from "@aws-sdk/client-s3";
import { deleteObject, headObject, listObjects, uploadObject } from "./bucket-objects";
import { PublishCannotRunError } from "./errors";
import { InvalidationPaths, createInvalidation, invalidationPaths, waitForInvalidation } from "./invalidation";
import type { WithObjectWrites } from "./object-writes";
import { LocalObject, PublishPlan, RemoteObject, planPublish } from "./plan";
import { settleEach } from "./pool";
import { Progress, ProgressOutput, formatBytes } from "./progress";
import type { PublishTarget } from "./target";

/**
 * Keys a publish never deletes: the objects verify's replication probe writes while it runs
 * (`src/ops/verify/probe.ts`), which it removes itself.
 */
export const FOREIGN_PREFIXES = ["site-storage-verify/"];

/** Requests in flight at once: S3 scales per prefix far beyond this; it bounds sockets and memory. */
export const CONCURRENCY = 32;

/** Everything a publish needs. */
export interface PublishInput {
  readonly files: readonly LocalObject[];
  readonly target: PublishTarget;
  readonly s3: S3Client;
  readonly cloudfront: CloudFrontClient;
  /** Object calls run inside it (on the emulator it lifts the bucket policy). */
  readonly withObjectWrites: WithObjectWrites;
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

/** What the bucket holds, read back. */
interface BucketContents {
  readonly remote: Map<string, RemoteObject>;
  /** Objects whose HEAD failed (their files are uploaded again), and the first error. */
  readonly unreadable: number;
  readonly firstError?: string;
}

/** What the bucket holds under the keys of `files` and every other key; HEAD only where sizes match. */
async function readBucket(input: PublishInput): Promise<BucketContents> {
  const { s3, target } = input;
  let remote: Map<string, RemoteObject>;
  try {
    remote = await listObjects(s3, target.bucket);
  } catch (error) {
    throw new PublishCannotRunError("access", `cannot list the objects of ${target.bucket}: ${reasonOf(error)}`);
  }
  const candidates = input.files.filter((file) => remote.get(file.key)?.size === file.size);
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
  return { remote, unreadable, firstError };
}

/** One wave of uploads; returns what went up and what failed. */
async function uploadWave(input: PublishInput, label: string, files: readonly LocalObject[], progress: Progress) {
  if (files.length === 0) return { uploaded: [] as LocalObject[], failed: [] as Failure[] };
  progress.start(label, files.length);
  const results = await settleEach(files, CONCURRENCY, async (file) => {
    await uploadObject(input.s3, input.target.bucket, file);
    progress.step(`uploaded ${file.key} (${formatBytes(file.size)}, ${file.cacheControl})`, file.size);
  });
  progress.end();
  const uploaded = files.filter((_, i) => results[i].status === "fulfilled");
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
  return { uploaded: [...assets.uploaded, ...html.uploaded], failed, deleted, deletesSkipped };
}

/** The invalidation of what changed, when there is a distribution. */
async function invalidate(input: PublishInput, touched: readonly string[]): Promise<InvalidationOutcome> {
  const distributionId = input.target.distributionId;
  if (distributionId === undefined)
    return { sent: false, why: "the stack has no CloudFront distribution deployed: nothing to invalidate" };
  const paths = invalidationPaths(touched, input.isFingerprinted, input.collapseAt);
  if (paths.paths.length === 0) return { sent: false, why: "no path to invalidate", paths };
  if (input.dryRun) return { sent: false, why: "dry run", paths };
  const id = await createInvalidation(input.cloudfront, distributionId, paths.paths);
  if (!input.wait) return { sent: true, id, paths, completed: false };
  await waitForInvalidation(input.cloudfront, distributionId, id, (line) => input.out.write(`${line}\n`));
  return { sent: true, id, paths, completed: true };
}

/** Publishes `input.files` into the target (or, with `dryRun`, only plans it). */
export async function publishFiles(input: PublishInput): Promise<PublishReport> {
  const options = { deleteGone: input.deleteGone, ignored: FOREIGN_PREFIXES };
  if (input.dryRun) {
    const notes: string[] = [];
    const contents = await readBucket(input).catch((error: unknown) => {
      notes.push(`${(error as Error).message}; a dry run lifts nothing, so every file is shown as an upload`);
      return { remote: new Map<string, RemoteObject>(), unreadable: 0, firstError: undefined };
    });
    if (contents.unreadable > 0)
      notes.push(
        `${contents.unreadable} object(s) could not be read (${contents.firstError}); a dry run lifts nothing, so their files are shown as uploads`,
      );
    const plan = planPublish(input.files, contents.remote, options);
    const touched = [...plan.assets, ...plan.html].map((f) => f.key).concat(plan.deletes);
    return { plan, uploaded: [], deleted: [], failed: [], invalidation: await invalidate(input, touched), notes };
  }
  const bucket = { name: input.target.bucket, region: input.target.region };
  const { plan, result } = await input.withObjectWrites(bucket, async () => {
    const plan = planPublish(input.files, (await readBucket(input)).remote, options);
    return { plan, result: await write(input, plan) };
  });
  const touched = result.uploaded.map((f) => f.key).concat(result.deleted);
  let invalidation: InvalidationOutcome;
  try {
    invalidation = await invalidate(input, touched);
  } catch (error) {
    invalidation = { sent: false, why: `the invalidation failed: ${reasonOf(error)}` };
    result.failed.push({ key: "(invalidation)", reason: reasonOf(error) });
  }
  return { plan, ...result, invalidation, notes: [] };
}
