/**
 * The one lift of the primary bucket's policy on the emulator, for object calls: verify's probe
 * and `npm run publish` reach it only through {@link WithObjectWrites}, passed in by their caller
 * (on AWS, {@link directObjectWrites}).
 *
 * Why it exists: moto enforces bucket-policy statements whose principal is `*` with their
 * conditions ignored, so the primary bucket's TLS-only deny refuses every object call on the
 * emulator (emulator difference `bucket-policy-conditions-ignored`). On the emulator only, the
 * policy is lifted for the length of the object calls and put back, identical, afterwards. On
 * AWS nothing is lifted: the SDK speaks TLS 1.2+ and the policy admits it.
 *
 * Safe to interrupt and to run twice at once:
 * - the endpoint's run lock (`run-lock.ts`) is held while the policy is lifted, so no other run
 *   reads the bucket without its policy or lifts it twice;
 * - SIGINT, SIGTERM or SIGHUP while lifted puts the policy back before the process exits
 *   (`processes.ts`); a clean-up the body registered itself (deleting its objects) runs first,
 *   while the policy is still lifted, since the latest registered runs first.
 */
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { samePolicy } from "../../common/policy";
import { AwsClients, AwsEnv } from "../aws-clients";
import { cleanUpOnInterrupt } from "../processes";
import { takeRunLock } from "./run-lock";

/** A bucket and its region. */
export interface BucketRef {
  readonly name: string;
  readonly region: string;
}

/** Runs `body` while object reads and writes on `bucket` are possible; returns its result. */
export type WithObjectWrites = <T>(bucket: BucketRef, body: () => Promise<T>) => Promise<T>;

/** On AWS: object calls need nothing lifted. */
export const directObjectWrites: WithObjectWrites = (_bucket, body) => body();

/** The policy could not be put back: the message says how to restore it by hand. */
export class PolicyRestoreError extends Error {
  constructor(bucket: string, policy: string, cause: string) {
    super(
      `the bucket policy of ${bucket} was lifted for the emulator and could not be put back (${cause}). ` +
        `Restore it: aws s3api put-bucket-policy --bucket ${bucket} --policy '${policy.replace(/'/g, "'\\''")}'`,
    );
    this.name = "PolicyRestoreError";
  }
}

/** The bucket's policy, or undefined when it has none. */
async function currentPolicy(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchBucketPolicy") return undefined;
    throw error;
  }
}

/** Puts `policy` back and reads it back; throws PolicyRestoreError unless it reads back the same. */
async function putBack(s3: S3Client, bucket: string, policy: string): Promise<void> {
  let restored: string | undefined;
  try {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    restored = await currentPolicy(s3, bucket);
  } catch (error) {
    throw new PolicyRestoreError(bucket, policy, (error as Error).message);
  }
  if (restored === undefined || !samePolicy(restored, policy))
    throw new PolicyRestoreError(bucket, policy, "it reads back different");
}

/** The policy lifted around `body` and put back after it, on a signal too. */
async function withPolicyLifted<T>(s3: S3Client, bucket: string, body: () => Promise<T>): Promise<T> {
  const policy = await currentPolicy(s3, bucket);
  if (policy === undefined) return body();
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  // One restore, whichever comes first: the end of the body or a signal.
  let restoring: Promise<void> | undefined;
  const restore = () => (restoring ??= putBack(s3, bucket, policy));
  const unregister = cleanUpOnInterrupt(restore);
  try {
    return await body();
  } finally {
    unregister();
    await restore();
  }
}

/**
 * On the emulator `env` points at: the bucket's policy lifted around `body`, holding the
 * endpoint's run lock, put back and read back equal. `progress` hears when the run waits for
 * another. Throws RunLockBusyError, PolicyRestoreError, or the body's or an SDK call's error.
 */
export function emulatorObjectWrites(env: AwsEnv, progress: (line: string) => void): WithObjectWrites {
  return async (bucket, body) => {
    const release = await takeRunLock(String(env.AWS_ENDPOINT_URL), progress);
    const clients = new AwsClients(env);
    try {
      return await withPolicyLifted(clients.s3(bucket.region), bucket.name, body);
    } finally {
      clients.destroy();
      release();
    }
  };
}
