import { randomBytes } from "node:crypto";
import {
  DeleteBucketPolicyCommand, DeleteObjectCommand, GetBucketPolicyCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectVersionsCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client,
} from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { jsonBlock, jsonBlocks } from "./declaration";
import { normalizePolicy } from "./policies";
import { callAws, foundOf } from "./aws-call";
import { NOT_SET, compact, checkRow } from "./check-row";

/** Where the test object is written: one fresh key per run, so runs never collide. */
const ROUND_TRIP_PREFIX = "site-storage-verify/";

/** On AWS, how long to wait for the test object to replicate before cleaning up anyway. */
const REPLICATION_WAIT_MS = 180_000;
const REPLICATION_POLL_MS = 5_000;

/** Deletes every version and delete marker of `key`, so the bucket can be destroyed; returns how many are left. */
async function removeAllVersions(s3: S3Client, bucket: string, key: string): Promise<number> {
  const list = async () => {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((v) => v.Key === key);
  };
  for (const version of await list()) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }));
  }
  return (await list()).length;
}

/** The replication destination bucket of `source`, as declared (destination ARN → name). */
function declaredDestination(ctx: VerifyContext, source: BucketTarget, buckets: readonly BucketTarget[]): BucketTarget | undefined {
  const configuration = ctx.declaration.oneForBucket("aws_s3_bucket_replication_configuration", source.name);
  if (configuration === undefined) return undefined;
  const rule = jsonBlocks(ctx.declaration.resolved(configuration, "rule"))[0];
  const arn = rule ? jsonBlock(rule.destination)?.bucket : undefined;
  const name = typeof arn === "string" ? arn.slice(arn.lastIndexOf(":") + 1) : undefined;
  return buckets.find((bucket) => bucket.name === name);
}

/**
 * On AWS only (the emulator stores replication settings but never copies): waits for the test
 * object to replicate, checks the copy is encrypted with the destination key, and removes it, so
 * the round trip leaves nothing behind in either bucket.
 */
async function replicaRows(ctx: VerifyContext, source: BucketTarget, destination: BucketTarget, key: string, versionId: string | undefined): Promise<CheckRow[]> {
  const s3 = ctx.clients.s3(source.region);
  const started = Date.now();
  let status: string | undefined;
  while (Date.now() - started < REPLICATION_WAIT_MS) {
    const head = await callAws(() => s3.send(new HeadObjectCommand({ Bucket: source.name, Key: key, VersionId: versionId })));
    status = head.ok ? head.value.ReplicationStatus : head.error;
    if (status === "COMPLETED" || status === "COMPLETE" || status === "FAILED" || !head.ok) break;
    await new Promise((resolve) => setTimeout(resolve, REPLICATION_POLL_MS));
  }
  const replicated = status === "COMPLETED" || status === "COMPLETE";
  const rows = [checkRow("round trip: object replicated", `${source.name}/${key}`, "COMPLETED",
    replicated ? "COMPLETED" : `${status ?? NOT_SET}${status === "PENDING" ? ` after ${REPLICATION_WAIT_MS / 1000} s` : ""}`, replicated)];
  const replica = ctx.clients.s3(destination.region);
  if (replicated) {
    const head = await callAws(() => replica.send(new HeadObjectCommand({ Bucket: destination.name, Key: key })));
    rows.push(checkRow("round trip: replica encrypted with the replica key", `${destination.name}/${key}`,
      destination.keyArn ?? NOT_SET, foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET)));
  }
  const left = await callAws(() => removeAllVersions(replica, destination.name, key));
  rows.push(checkRow("round trip: replica copy removed", `${destination.name}/${key}`, "0 versions left",
    foundOf(left, (n) => `${n} versions left${replicated ? "" : " (a copy may still arrive: delete it before destroying)"}`),
    left.ok && left.value === 0 && replicated));
  return rows;
}

/**
 * Writes an object to a site bucket with no encryption headers and checks S3 encrypted it by
 * default: `aws:kms`, the bucket's same-region key, the S3 Bucket Key; reads it back; then deletes
 * every version and delete marker it made, so the bucket can still be destroyed
 * (`force_destroy` is off). On AWS it also follows the object to the replica and removes the copy.
 *
 * The emulator and the TLS-only bucket policy: moto enforces bucket-policy statements whose
 * principal is `*` but ignores their conditions, so `DenyInsecureTransport` (meant for requests
 * without TLS) refuses every object PUT and GET there, TLS or not. On the emulator only
 * (`ctx.emulator`), the bucket policy is therefore read, deleted for the duration of the round
 * trip, and put back as exactly the same document in a `finally` block, whatever happened; the
 * last row checks it reads back equal (a re-plan after verification shows the same). This is
 * never done against AWS: there the SDK speaks TLS 1.2+, the policy admits it, and lifting a
 * production bucket's policy would open a window for plain-HTTP requests.
 */
export async function checkObjectRoundTrip(ctx: VerifyContext, bucket: BucketTarget, buckets: readonly BucketTarget[]): Promise<CheckRow[]> {
  const s3 = ctx.clients.s3(bucket.region);
  const key = `${ROUND_TRIP_PREFIX}${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.txt`;
  const object = `${bucket.name}/${key}`;
  const body = `site-storage verifier round trip ${key}`;
  const rows: CheckRow[] = [];

  let liftedPolicy: string | undefined;
  if (ctx.emulator) {
    const current = await callAws(async () => (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy);
    if (current.ok && current.value) {
      const deleted = await callAws(() => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket.name })));
      if (!deleted.ok) {
        return [checkRow("round trip: lift bucket policy (emulator only)", bucket.name, "lifted", deleted.error, false)];
      }
      liftedPolicy = current.value;
    } else if (!current.ok && current.code !== "NoSuchBucketPolicy") {
      return [checkRow("round trip: read bucket policy (emulator only)", bucket.name, "read", current.error, false)];
    }
  }

  try {
    let wrote = false;
    try {
      const put = await callAws(() => s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body, ContentType: "text/plain" })));
      wrote = put.ok;
      rows.push(checkRow("round trip: write with no encryption headers", object, "accepted", foundOf(put, () => "accepted")));
      if (put.ok) {
        const head = await callAws(() => s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, VersionId: put.value.VersionId })));
        rows.push(
          checkRow("round trip: server-side encryption", object, "aws:kms", foundOf(head, (h) => h.ServerSideEncryption ?? NOT_SET)),
          checkRow("round trip: KMS key", object, bucket.keyArn ?? NOT_SET, foundOf(head, (h) => h.SSEKMSKeyId ?? NOT_SET)),
          checkRow("round trip: Bucket Key", object, "true", foundOf(head, (h) => String(h.BucketKeyEnabled === true))),
        );
        const read = await callAws(async () =>
          (await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: key, VersionId: put.value.VersionId }))).Body?.transformToString());
        rows.push(checkRow("round trip: read back", object, "the bytes written",
          foundOf(read, (text) => (text === body ? "the bytes written" : `different bytes (${compact(text?.slice(0, 40))})`))));
        const destination = ctx.emulator ? undefined : declaredDestination(ctx, bucket, buckets);
        if (destination !== undefined) rows.push(...await replicaRows(ctx, bucket, destination, key, put.value.VersionId));
      }
    } finally {
      // Also after a failed write: a write can fail after S3 stored the object.
      const left = await callAws(() => removeAllVersions(s3, bucket.name, key));
      if (wrote || !left.ok || left.value > 0) {
        rows.push(checkRow("round trip: test object removed", object, "0 versions left", foundOf(left, (n) => `${n} versions left`)));
      }
    }
  } finally {
    if (liftedPolicy !== undefined) {
      const original = liftedPolicy;
      const restored = await callAws(async () => {
        await s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: original }));
        return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy;
      });
      const same = restored.ok && restored.value !== undefined
        && compact(normalizePolicy(restored.value)) === compact(normalizePolicy(original));
      rows.push(checkRow("round trip: bucket policy restored (emulator only)", bucket.name, "the document read before the round trip",
        foundOf(restored, () => (same ? "the document read before the round trip" : "a different document")), same));
    }
  }
  return rows;
}
