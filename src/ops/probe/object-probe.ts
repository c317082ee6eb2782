/**
 * The object probe, run by `npm run verify` after the read-only checks (and by the local run):
 * the one part of a verification that writes. It puts a small object into
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
 * - the object calls run inside the {@link WithObjectWrites} the caller passes in: on the
 *   emulator, the one policy lift (`emulator/object-writes.ts`: the endpoint's run lock held,
 *   the policy put back on a signal too); on AWS, nothing lifted.
 *
 * It is not a comparison of declared attributes (that is `verify/`): it shows what lands when an
 * object is written. On the emulator moto stores replication configuration but never copies an
 * object, so the replica half is named as not shown (emulator difference `replication-never-runs`).
 */
import { randomBytes } from "node:crypto";
import {
  GetObjectCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AwsClients, AwsEnv } from "../aws-clients";
import type { EmulatorDifference } from "../emulator/differences";
import type { WithObjectWrites } from "../emulator/object-writes";
import { cleanUpOnInterrupt } from "../processes";
import { deleteAllVersions } from "../s3-objects";
import { CallResult, callAws, foundOf } from "../aws-call";
import { cannotRunOf } from "../aws-errors";
import type { BucketTarget } from "../deployment/probe-targets";
import { NOT_SET, VerifyRow } from "../verify/row";

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

/** An object's encryption, as HeadObject shows it: SSE-KMS, with the bucket's key, and the Bucket Key. */
function encryptionRows(
  object: string,
  side: "" | "replica ",
  keyArn: string | undefined,
  head: CallResult<HeadObjectCommandOutput>,
): VerifyRow[] {
  const sse = foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET);
  const key = foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET);
  const bucketKey = foundOf(head, (h) => String(h.BucketKeyEnabled === true));
  return [
    probeRow(object, `probe: ${side}server-side encryption`, "aws:kms", sse),
    probeRow(object, `probe: ${side}KMS key`, keyArn ?? NOT_SET, key),
    probeRow(object, `probe: ${side}Bucket Key`, "true", bucketKey),
  ];
}

/** The replica half: replication completed, and the copy is SSE-KMS with the replica key and the Bucket Key. */
async function replicaRows(
  clients: AwsClients,
  halves: { readonly source: BucketTarget; readonly replica: BucketTarget },
  key: string,
  versionId: string | undefined,
  options: ProbeOptions,
  signal: AbortSignal,
): Promise<VerifyRow[]> {
  const { source, replica } = halves;
  const status = await waitForReplication(clients.s3(source.region), source, key, versionId, options, signal);
  const completed = status === "COMPLETED" || status === "COMPLETE";
  const found = status === "FAILED" ? FAILED_HINT : status;
  const rows = [probeRow(`${source.name}/${key}`, "probe: replication status", "COMPLETED", found, completed)];
  if (!completed) return rows;
  const copy = `${replica.name}/${key}`;
  const head = await callAws(() =>
    clients.s3(replica.region).send(new HeadObjectCommand({ Bucket: replica.name, Key: key }), { abortSignal: signal }),
  );
  rows.push(...encryptionRows(copy, "replica ", replica.keyArn, head));
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
    text === body ? "the bytes written" : `different bytes (${JSON.stringify(text?.slice(0, 40) ?? NOT_SET)})`;
  rows.push(
    ...encryptionRows(object, "", bucket.keyArn, head),
    probeRow(object, "probe: read back", "the bytes written", foundOf(read, readBack)),
  );
  return { rows, versionId, wrote: true };
}

/** The buckets, and whether objects replicate between them (never on the emulator). */
interface Halves {
  readonly source: BucketTarget;
  readonly replica: BucketTarget;
  readonly replicates: boolean;
}

/** Writes, reads and (on AWS) follows the probe; deletes every version on both sides, also after a failure. */
async function probeOnce(clients: AwsClients, halves: Halves, options: ProbeOptions, signal: AbortSignal) {
  const { source } = halves;
  const key = probeKey();
  const rows: VerifyRow[] = [];
  let wrote = false;
  try {
    const written = await writeAndReadBack(clients.s3(source.region), source, key, signal);
    wrote = written.wrote;
    rows.push(...written.rows);
    if (wrote && halves.replicates)
      rows.push(...(await replicaRows(clients, halves, key, written.versionId, options, signal)));
  } finally {
    // Also after a failed or interrupted write: a write can fail after S3 stored the object.
    for (const side of halves.replicates ? [source, halves.replica] : [source]) {
      const left = await callAws(() =>
        // deleteAllVersions lists until nothing of the key is left, or throws.
        deleteAllVersions(clients.s3(side.region), side.name, key).then(() => 0),
      );
      if (wrote || !left.ok || left.value > 0) {
        const found = foundOf(left, (n) => `${n} versions left`);
        rows.push(probeRow(`${side.name}/${key}`, "probe: every version removed", "0 versions left", found));
      }
    }
  }
  return rows;
}

/** What the probe needs: the environment, the buckets, the caller's choices. */
export interface ObjectProbeInput {
  /** The environment the SDK clients are built from. */
  readonly env: AwsEnv;
  /** The primary bucket, written to. */
  readonly source: BucketTarget;
  /** The replica, followed to on AWS. */
  readonly replica: BucketTarget;
  /** The emulator differences (empty on AWS): with `replication-never-runs`, the replica half is not shown. */
  readonly tolerances: readonly EmulatorDifference[];
  /** How object calls on the source are made possible: the emulator's policy lift, or nothing on AWS. */
  readonly withObjectWrites: WithObjectWrites;
  readonly options: ProbeOptions;
}

/** What the probe showed, and what it could not show. */
export interface ObjectProbeResult {
  readonly rows: readonly VerifyRow[];
  readonly notShown: readonly string[];
}

/**
 * Runs the probe through `source` (the primary) and, on AWS, `replica`. Every version it made is
 * deleted on both sides, also after a failure and on SIGINT, SIGTERM or SIGHUP (the call in
 * flight is aborted, the clean-up runs, then the process exits). Rejects with CannotRunError when
 * AWS cannot be asked; a lift or restore that fails is a failing row.
 */
export async function probeObjects(input: ObjectProbeInput): Promise<ObjectProbeResult> {
  const never = input.tolerances.find((d) => d.id === "replication-never-runs");
  const halves = { source: input.source, replica: input.replica, replicates: never === undefined };
  const clients = new AwsClients(input.env);
  const rows: VerifyRow[] = [];
  try {
    await input.withObjectWrites(input.source, async () => {
      const interrupt = new AbortController();
      const run = probeOnce(clients, halves, input.options, interrupt.signal);
      const unregister = cleanUpOnInterrupt(async () => {
        input.options.progress("replication probe interrupted: deleting its object and restoring what it changed");
        interrupt.abort(new Error("interrupted"));
        await run.catch(() => undefined);
      });
      try {
        rows.push(...(await run));
      } finally {
        unregister();
      }
    });
  } catch (error) {
    // The lift's own failures (the policy not read, lifted or put back): a row saying how to restore it.
    const cannotRun = cannotRunOf(error);
    if (cannotRun !== undefined) throw cannotRun;
    const found = (error as Error).message ?? String(error);
    rows.push(
      probeRow(input.source.name, "probe: object writes on the bucket", "possible, then as before", found, false),
    );
  } finally {
    clients.destroy();
  }
  const notShown =
    never === undefined
      ? []
      : [`replication of an object: ${never.behaviour}; run npm run verify against AWS to see it`];
  return { rows, notShown };
}
