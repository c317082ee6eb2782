/**
 * TO BE REPLACED AT MERGE by the shared, locked implementation of the emulator's policy lift
 * (the one verify's probe uses: a lock per endpoint and bucket, restore on SIGINT/SIGTERM).
 * Publishing reaches it only through {@link WithObjectWrites}; this file is the minimal stand-in.
 *
 * Why it exists: moto enforces bucket-policy statements whose principal is `*` with their
 * conditions ignored, so the primary bucket's TLS-only deny refuses every object call on the
 * emulator (emulator difference `bucket-policy-conditions-ignored`). On the emulator only, the
 * policy is lifted for the length of the object calls and put back, identical, afterwards. On
 * AWS nothing is lifted: the SDK speaks TLS 1.2+ and the policy admits it.
 */
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { samePolicy } from "../../common/policy";
import { AwsClients } from "../aws-clients";

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

/** On the emulator: the bucket's policy lifted around `body`, put back and read back equal. */
export function emulatorObjectWrites(clients: AwsClients): WithObjectWrites {
  return async (bucket, body) => {
    const s3 = clients.s3(bucket.region);
    let lifted: string | undefined;
    try {
      lifted = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy;
    } catch (error) {
      if ((error as { name?: string }).name !== "NoSuchBucketPolicy") throw error;
    }
    if (lifted === undefined) return body();
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket.name }));
    try {
      return await body();
    } finally {
      let restored: string | undefined;
      try {
        await s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: lifted }));
        restored = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy;
      } catch (error) {
        // eslint-disable-next-line no-unsafe-finally
        throw new PolicyRestoreError(bucket.name, lifted, (error as Error).message);
      }
      if (restored === undefined || !samePolicy(restored, lifted))
        // eslint-disable-next-line no-unsafe-finally
        throw new PolicyRestoreError(bucket.name, lifted, "it reads back different");
    }
  };
}
