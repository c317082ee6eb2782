/**
 * The replication probe: the one part of the verifier that writes. It puts a small object into
 * the primary bucket with no encryption headers, checks S3 encrypted it by default (`aws:kms`,
 * the primary key, the Bucket Key) and reads it back; on AWS it then waits until the object's
 * `ReplicationStatus` is COMPLETED and checks the replica is SSE-KMS with the replica key and the
 * Bucket Key. Whatever happens, it deletes every version of the probe on both sides, so the
 * buckets can still be destroyed (`force_destroy` is off). `npm run verify -- --no-probe` skips
 * it and is strictly read-only.
 *
 * Safe to interrupt and to run twice at once:
 * - each run writes its own key (time and random suffix), so two runs never touch each other's
 *   object;
 * - SIGINT, SIGTERM or SIGHUP during the probe aborts the call in flight and runs the same
 *   clean-up as a normal end (every version deleted, the policy put back) before the process
 *   exits with 130, 143 or 129 (`processes.ts`);
 * - on the emulator, where the policy is lifted, runs against one endpoint are serialized by
 *   `run-lock.ts`, taken by the caller for the whole run.
 *
 * On the emulator: moto stores replication configuration but never copies an object, so the
 * replica half is named as not shown (emulator difference `replication-never-runs`). And moto
 * enforces bucket-policy statements whose principal is `*` with their conditions ignored, so
 * the TLS-only deny refuses every object call: on the emulator only, the primary bucket's policy
 * is lifted for the probe and put back, identical, in a `finally` block; the last row checks it
 * reads back equal. Never against AWS, where the SDK speaks TLS 1.2+ and the policy admits it.
 */
import { randomBytes } from "node:crypto";
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { samePolicy } from "../../common/policy";
import { cleanUpOnInterrupt } from "../processes";
import { deleteAllVersions } from "../s3-objects";
import { callAws, foundOf } from "./aws-call";
import { show as compact } from "./compare";
import type { BucketTarget, VerifyContext } from "./context";
import { NOT_SET, VerifyRow } from "./row";

/** How the probe waits for replication. */
export interface ProbeOptions {
  /** Seconds to wait for `ReplicationStatus` to leave PENDING (S3 RTC's SLA is 15 minutes). */
  readonly timeoutSeconds: number;
  /** Receives a line now and then while the probe waits, so a long wait is never silent. */
  readonly progress: (line: string) => void;
}

/** Where the probe object is written: one fresh key per run, so runs never collide. */
export const PROBE_PREFIX = "site-storage-verify/";
const POLL_MS = 5_000;
const PROGRESS_EVERY_MS = 30_000;

/** What S3 says when replication of the object failed, and where to look. */
const FAILED_HINT =
  "FAILED: S3 could not replicate the object. Check the replication role's trust policy (s3.amazonaws.com must be able " +
  "to assume it) and its KMS permissions (kms:Decrypt on the primary key, kms:GenerateDataKey and kms:Encrypt on the replica key, " +
  "each through S3 in its region)";

/**
 * Whether the probe lifts the primary bucket's policy: only where bucket-policy conditions are
 * ignored (the emulator difference the caller passed in). The one place the probe asks.
 */
function liftsPolicy(ctx: VerifyContext): boolean {
  return ctx.tolerates("bucket-policy-conditions-ignored");
}

/** A probe row; it passes when found is exactly what was expected unless `pass` says otherwise. */
function probeRow(
  resource: string,
  path: string,
  expected: string,
  found: string,
  pass = expected === found,
): VerifyRow {
  return { resource, path, expected, found, status: pass ? "pass" : "fail" };
}

/** A fresh key for one run: the time, then 8 random hex digits. */
export function probeKey(now = new Date()): string {
  return `${PROBE_PREFIX}${now.toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.txt`;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** Polls the source object until S3 says how replication ended, or the time is up. */
async function waitForReplication(
  s3: S3Client,
  bucket: BucketTarget,
  key: string,
  versionId: string | undefined,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<string> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const head = await callAws(() =>
      s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, VersionId: versionId }), { abortSignal: signal }),
    );
    if (!head.ok) return head.error;
    const status = head.value.ReplicationStatus ?? NOT_SET;
    if (status !== "PENDING") return status;
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutSeconds * 1000)
      return `PENDING after ${options.timeoutSeconds} s (raise --probe-timeout)`;
    if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      options.progress(`replication probe: ${bucket.name}/${key} still PENDING after ${Math.round(elapsed / 1000)} s`);
      lastProgress = Date.now();
    }
    await pause(POLL_MS, signal);
  }
}

/** The replica half: replication completed, and the copy is SSE-KMS with the replica key and the Bucket Key. */
async function replicaRows(
  ctx: VerifyContext,
  halves: { readonly source: BucketTarget; readonly replica: BucketTarget },
  key: string,
  versionId: string | undefined,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<VerifyRow[]> {
  const { source, replica } = halves;
  const status = await waitForReplication(ctx.clients.s3(source.region), source, key, versionId, options, signal);
  const completed = status === "COMPLETED" || status === "COMPLETE";
  const found = status === "FAILED" ? FAILED_HINT : status;
  const rows = [probeRow(`${source.name}/${key}`, "probe: replication status", "COMPLETED", found, completed)];
  if (!completed) return rows;
  const copy = `${replica.name}/${key}`;
  const head = await callAws(() =>
    ctx.clients
      .s3(replica.region)
      .send(new HeadObjectCommand({ Bucket: replica.name, Key: key }), { abortSignal: signal }),
  );
  rows.push(
    probeRow(
      copy,
      "probe: replica server-side encryption",
      "aws:kms",
      foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET),
    ),
    probeRow(
      copy,
      "probe: replica KMS key",
      replica.keyArn ?? NOT_SET,
      foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET),
    ),
    probeRow(
      copy,
      "probe: replica Bucket Key",
      "true",
      foundOf(head, (h) => String(h.BucketKeyEnabled === true)),
    ),
  );
  return rows;
}

/** The primary half: written with no headers, encrypted by default, read back. */
async function writeAndReadBack(
  s3: S3Client,
  bucket: BucketTarget,
  key: string,
  signal: AbortSignal,
): Promise<{ rows: VerifyRow[]; versionId?: string; wrote: boolean }> {
  const body = `site-storage replication probe ${key}`;
  const object = `${bucket.name}/${key}`;
  const put = await callAws(() =>
    s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body, ContentType: "text/plain" }), {
      abortSignal: signal,
    }),
  );
  const rows = [
    probeRow(
      object,
      "probe: write with no encryption headers",
      "accepted",
      foundOf(put, () => "accepted"),
    ),
  ];
  if (!put.ok) return { rows, wrote: false };
  const versionId = put.value.VersionId;
  const version = { Bucket: bucket.name, Key: key, VersionId: versionId };
  const head = await callAws(() => s3.send(new HeadObjectCommand(version), { abortSignal: signal }));
  const read = await callAws(async () =>
    (await s3.send(new GetObjectCommand(version), { abortSignal: signal })).Body?.transformToString(),
  );
  const readBack = (text: string | undefined) =>
    text === body ? "the bytes written" : `different bytes (${compact(text?.slice(0, 40))})`;
  rows.push(
    probeRow(
      object,
      "probe: server-side encryption",
      "aws:kms",
      foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET),
    ),
    probeRow(
      object,
      "probe: KMS key",
      bucket.keyArn ?? NOT_SET,
      foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET),
    ),
    probeRow(
      object,
      "probe: Bucket Key",
      "true",
      foundOf(head, (h) => String(h.BucketKeyEnabled === true)),
    ),
    probeRow(object, "probe: read back", "the bytes written", foundOf(read, readBack)),
  );
  return { rows, versionId, wrote: true };
}

/** Whether two policy texts mean the same; an unreadable one never does. */
function readsTheSame(found: string, expected: string): boolean {
  try {
    return samePolicy(found, expected);
  } catch {
    return false;
  }
}

/** Puts `policy` back on `bucket` and reads it back; the row says whether it is the same document. */
async function restorePolicy(s3: S3Client, bucket: BucketTarget, policy: string): Promise<VerifyRow> {
  const restored = await callAws(async () => {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: policy }));
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy;
  });
  const same = restored.ok && restored.value !== undefined && readsTheSame(restored.value, policy);
  const before = "the document read before the probe";
  const found = foundOf(restored, () => (same ? before : "a different document"));
  return probeRow(bucket.name, "probe: bucket policy restored (emulator only)", before, found, same);
}

/** On the emulator, the primary bucket's policy for the length of the probe: lifted, then put back. */
async function withPolicyLifted(
  ctx: VerifyContext,
  bucket: BucketTarget,
  body: () => Promise<VerifyRow[]>,
): Promise<VerifyRow[]> {
  if (!liftsPolicy(ctx)) return body();
  const s3 = ctx.clients.s3(bucket.region);
  const current = await callAws(
    async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy,
  );
  if (!current.ok && current.code !== "NoSuchBucketPolicy")
    return [probeRow(bucket.name, "probe: read bucket policy (emulator only)", "read", current.error, false)];
  const lifted = current.ok ? current.value : undefined;
  if (lifted !== undefined) {
    const deleted = await callAws(() => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket.name })));
    if (!deleted.ok)
      return [probeRow(bucket.name, "probe: lift bucket policy (emulator only)", "lifted", deleted.error, false)];
  }
  const rows: VerifyRow[] = [];
  try {
    rows.push(...(await body()));
  } finally {
    if (lifted !== undefined) rows.push(await restorePolicy(s3, bucket, lifted));
  }
  return rows;
}

/** Writes, reads and (on AWS) follows the probe; deletes every version on both sides, also after a failure. */
async function probeOnce(
  ctx: VerifyContext,
  halves: { readonly source: BucketTarget; readonly replica: BucketTarget },
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<VerifyRow[]> {
  const { source } = halves;
  const key = probeKey();
  const rows: VerifyRow[] = [];
  let wrote = false;
  try {
    const written = await writeAndReadBack(ctx.clients.s3(source.region), source, key, signal);
    wrote = written.wrote;
    rows.push(...written.rows);
    if (wrote && !ctx.tolerates("replication-never-runs"))
      rows.push(...(await replicaRows(ctx, halves, key, written.versionId, options, signal)));
  } finally {
    // Also after a failed or interrupted write: a write can fail after S3 stored the object.
    const sides = ctx.tolerates("replication-never-runs") ? [source] : [source, halves.replica];
    for (const side of sides) {
      const left = await callAws(() =>
        // deleteAllVersions lists until nothing of the key is left, or throws.
        deleteAllVersions(ctx.clients.s3(side.region), side.name, key).then(() => 0),
      );
      if (wrote || !left.ok || left.value > 0) {
        const found = foundOf(left, (n) => `${n} versions left`);
        rows.push(probeRow(`${side.name}/${key}`, "probe: every version removed", "0 versions left", found));
      }
    }
  }
  return rows;
}

/**
 * Runs the probe through `source` (the primary) and, on AWS, `replica`. Every version it made is
 * deleted on both sides and a lifted policy is put back, also after a failure and on SIGINT,
 * SIGTERM or SIGHUP (the call in flight is aborted, the clean-up runs, then the process exits).
 */
export async function probeReplication(
  ctx: VerifyContext,
  source: BucketTarget,
  replica: BucketTarget,
  options: ProbeOptions,
): Promise<VerifyRow[]> {
  const interrupt = new AbortController();
  const run = withPolicyLifted(ctx, source, () => probeOnce(ctx, { source, replica }, options, interrupt.signal));
  const unregister = cleanUpOnInterrupt(async () => {
    options.progress("replication probe interrupted: deleting its object and restoring what it changed");
    interrupt.abort(new Error("interrupted"));
    await run.catch(() => undefined);
  });
  try {
    return await run;
  } finally {
    unregister();
  }
}
