/**
 * The replication probe: the one part of the verifier that writes. It puts a small object into
 * the primary bucket with no encryption headers, checks S3 encrypted it by default (`aws:kms`,
 * the primary key, the Bucket Key) and reads it back; on AWS it then waits until the object's
 * `ReplicationStatus` is COMPLETED and checks the replica is SSE-KMS with the replica key and the
 * Bucket Key. Whatever happens, it deletes every version of the probe on both sides, so the
 * buckets can still be destroyed (`force_destroy` is off). `npm run verify -- --no-probe` skips
 * it and is strictly read-only.
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
import { deleteAllVersions } from "../s3-objects";
import { callAws, foundOf } from "./aws-call";
import { show as compact } from "./compare";
import type { BucketTarget, VerifyContext } from "./context";
import { NOT_SET, VerifyRow } from "./row";

type CheckRow = VerifyRow;

/** A probe row; passes when found is exactly what was expected, unless `pass` says otherwise. */
function checkRow(
  path: string,
  resource: string,
  expected: string,
  found: string,
  pass = expected === found,
): VerifyRow {
  return { resource, path, expected, found, status: pass ? "pass" : "fail" };
}

/** How the probe waits for replication. */
export interface ProbeOptions {
  /** Seconds to wait for `ReplicationStatus` to leave PENDING (S3 RTC's SLA is 15 minutes). */
  readonly timeoutSeconds: number;
  /** Receives a line now and then while the probe waits, so a long wait is never silent. */
  readonly progress: (line: string) => void;
}

/** Where the probe object is written: one fresh key per run, so runs never collide. */
const PROBE_PREFIX = "site-storage-verify/";
const POLL_MS = 5_000;
const PROGRESS_EVERY_MS = 30_000;

/** What S3 says when replication of the object failed, and where to look. */
const FAILED_HINT =
  "FAILED: S3 could not replicate the object. Check the replication role's trust policy (s3.amazonaws.com must be able " +
  "to assume it) and its KMS permissions (kms:Decrypt on the primary key, kms:GenerateDataKey and kms:Encrypt on the replica key, " +
  "each through S3 in its region)";

/** Deletes every version and delete marker of `key`; returns how many are left (0, or it throws). */
async function removeAllVersions(s3: S3Client, bucket: string, key: string): Promise<number> {
  await deleteAllVersions(s3, bucket, key);
  return 0;
}

/** Polls the source object until S3 says how replication ended, or the time is up. */
async function waitForReplication(
  s3: S3Client,
  bucket: BucketTarget,
  key: string,
  versionId: string | undefined,
  options: ProbeOptions,
): Promise<string> {
  const started = Date.now();
  let lastProgress = started;
  for (;;) {
    const head = await callAws(() =>
      s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, VersionId: versionId })),
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
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The replica half: replication completed, and the copy is SSE-KMS with the replica key and the Bucket Key. */
async function replicaRows(
  ctx: VerifyContext,
  source: BucketTarget,
  replica: BucketTarget,
  key: string,
  versionId: string | undefined,
  options: ProbeOptions,
): Promise<CheckRow[]> {
  const status = await waitForReplication(ctx.clients.s3(source.region), source, key, versionId, options);
  const completed = status === "COMPLETED" || status === "COMPLETE";
  const rows = [
    checkRow(
      "probe: replication status",
      `${source.name}/${key}`,
      "COMPLETED",
      status === "FAILED" ? FAILED_HINT : status,
      completed,
    ),
  ];
  if (!completed) return rows;
  const copy = `${replica.name}/${key}`;
  const head = await callAws(() =>
    ctx.clients.s3(replica.region).send(new HeadObjectCommand({ Bucket: replica.name, Key: key })),
  );
  rows.push(
    checkRow(
      "probe: replica server-side encryption",
      copy,
      "aws:kms",
      foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET),
    ),
    checkRow(
      "probe: replica KMS key",
      copy,
      replica.keyArn ?? NOT_SET,
      foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET),
    ),
    checkRow(
      "probe: replica Bucket Key",
      copy,
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
  body: string,
): Promise<{ rows: CheckRow[]; versionId?: string; wrote: boolean }> {
  const object = `${bucket.name}/${key}`;
  const put = await callAws(() =>
    s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body, ContentType: "text/plain" })),
  );
  const rows = [
    checkRow(
      "probe: write with no encryption headers",
      object,
      "accepted",
      foundOf(put, () => "accepted"),
    ),
  ];
  if (!put.ok) return { rows, wrote: false };
  const versionId = put.value.VersionId;
  const head = await callAws(() =>
    s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, VersionId: versionId })),
  );
  const read = await callAws(async () =>
    (
      await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: key, VersionId: versionId }))
    ).Body?.transformToString(),
  );
  rows.push(
    checkRow(
      "probe: server-side encryption",
      object,
      "aws:kms",
      foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET),
    ),
    checkRow(
      "probe: KMS key",
      object,
      bucket.keyArn ?? NOT_SET,
      foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET),
    ),
    checkRow(
      "probe: Bucket Key",
      object,
      "true",
      foundOf(head, (h) => String(h.BucketKeyEnabled === true)),
    ),
    checkRow(
      "probe: read back",
      object,
      "the bytes written",
      foundOf(read, (text) =>
        text === body ? "the bytes written" : `different bytes (${compact(text?.slice(0, 40))})`,
      ),
    ),
  );
  return { rows, versionId, wrote: true };
}

/** On the emulator, the primary bucket's policy for the length of the probe: lifted, then put back. */
async function withPolicyLifted(
  ctx: VerifyContext,
  bucket: BucketTarget,
  body: () => Promise<CheckRow[]>,
): Promise<CheckRow[]> {
  if (!ctx.tolerates("bucket-policy-conditions-ignored")) return body();
  const s3 = ctx.clients.s3(bucket.region);
  const current = await callAws(
    async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy,
  );
  if (!current.ok && current.code !== "NoSuchBucketPolicy")
    return [checkRow("probe: read bucket policy (emulator only)", bucket.name, "read", current.error, false)];
  const lifted = current.ok ? current.value : undefined;
  if (lifted !== undefined) {
    const deleted = await callAws(() => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket.name })));
    if (!deleted.ok)
      return [checkRow("probe: lift bucket policy (emulator only)", bucket.name, "lifted", deleted.error, false)];
  }
  const rows: CheckRow[] = [];
  try {
    rows.push(...(await body()));
  } finally {
    if (lifted !== undefined) {
      const restored = await callAws(async () => {
        await s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: lifted }));
        return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy;
      });
      const same = restored.ok && restored.value !== undefined && samePolicy(restored.value, lifted);
      rows.push(
        checkRow(
          "probe: bucket policy restored (emulator only)",
          bucket.name,
          "the document read before the probe",
          foundOf(restored, () => (same ? "the document read before the probe" : "a different document")),
          same,
        ),
      );
    }
  }
  return rows;
}

/**
 * Runs the probe through `source` (the primary) and, on AWS, `replica`; every version it made is
 * deleted on both sides, also after a failure.
 */
export async function probeReplication(
  ctx: VerifyContext,
  source: BucketTarget,
  replica: BucketTarget,
  options: ProbeOptions,
): Promise<CheckRow[]> {
  const key = `${PROBE_PREFIX}${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.txt`;
  return withPolicyLifted(ctx, source, async () => {
    const s3 = ctx.clients.s3(source.region);
    const rows: CheckRow[] = [];
    let wrote = false;
    try {
      const written = await writeAndReadBack(s3, source, key, `site-storage replication probe ${key}`);
      wrote = written.wrote;
      rows.push(...written.rows);
      if (wrote && !ctx.tolerates("replication-never-runs"))
        rows.push(...(await replicaRows(ctx, source, replica, key, written.versionId, options)));
    } finally {
      // Also after a failed write: a write can fail after S3 stored the object.
      const sides = ctx.tolerates("replication-never-runs") ? [source] : [source, replica];
      for (const side of sides) {
        const left = await callAws(() => removeAllVersions(ctx.clients.s3(side.region), side.name, key));
        if (wrote || !left.ok || left.value > 0) {
          rows.push(
            checkRow(
              "probe: every version removed",
              `${side.name}/${key}`,
              "0 versions left",
              foundOf(left, (n) => `${n} versions left`),
            ),
          );
        }
      }
    }
    return rows;
  });
}
