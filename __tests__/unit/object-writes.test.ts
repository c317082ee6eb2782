// The emulator's policy lift around object calls (verify's probe, a publish): lifted before, put
// back after (also when the body fails), checked, and a restore that fails says how to put the
// policy back by hand.
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { existsSync } from "node:fs";
import { mockClient } from "aws-sdk-client-mock";
import { runLockPath } from "../../src/ops/emulator/run-lock";
import { PolicyRestoreError, directObjectWrites, emulatorObjectWrites } from "../../src/ops/emulator/object-writes";

const s3 = mockClient(S3Client);
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: "*" }],
});
const BUCKET = { name: "site-primary", region: "us-east-1" };
/** The emulator's environment; a fresh endpoint per test, so tests never share a run lock. */
let env: Record<string, string>;
const lifted = () => emulatorObjectWrites(env, () => undefined);

beforeEach(() => {
  s3.reset();
  env = {
    AWS_ACCESS_KEY_ID: "k",
    AWS_SECRET_ACCESS_KEY: "s",
    AWS_ENDPOINT_URL: `http://127.0.0.1:1/object-writes-test-${process.pid}-${Math.random()}`,
  };
  s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
  s3.on(DeleteBucketPolicyCommand).resolves({});
  s3.on(PutBucketPolicyCommand).resolves({});
});

/** The policy calls in order. */
function policyCalls(): string[] {
  return s3.calls().map((call) => {
    const command = call.args[0];
    if (command instanceof GetBucketPolicyCommand) return "get";
    if (command instanceof DeleteBucketPolicyCommand) return "delete";
    if (command instanceof PutBucketPolicyCommand) return "put";
    return "other";
  });
}

describe("object writes on the emulator", () => {
  it("lifts the policy for the body and puts the same document back, checked", async () => {
    let during: string[] = [];
    const result = await lifted()(BUCKET, async () => {
      during = policyCalls();
      return 42;
    });
    expect(result).toBe(42);
    expect(during).toEqual(["get", "delete"]);
    expect(policyCalls()).toEqual(["get", "delete", "put", "get"]);
    expect(s3.commandCalls(PutBucketPolicyCommand)[0].args[0].input).toEqual({
      Bucket: "site-primary",
      Policy: POLICY,
    });
  });

  it("holds the endpoint's run lock while the policy is lifted, and releases it after", async () => {
    const lock = runLockPath(env.AWS_ENDPOINT_URL);
    const heldDuring = await lifted()(BUCKET, async () => existsSync(lock));
    expect(heldDuring).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it("puts the policy back when the body fails, and rethrows the body's error", async () => {
    const failing = lifted()(BUCKET, async () => {
      throw new Error("upload broke");
    });
    await expect(failing).rejects.toThrow("upload broke");
    expect(policyCalls()).toEqual(["get", "delete", "put", "get"]);
  });

  it("lifts nothing when the bucket has no policy", async () => {
    s3.on(GetBucketPolicyCommand).rejects(Object.assign(new Error("none"), { name: "NoSuchBucketPolicy" }));
    expect(await lifted()(BUCKET, async () => "done")).toBe("done");
    expect(policyCalls()).toEqual(["get"]);
  });

  it("says how to restore the policy by hand when it cannot be put back", async () => {
    s3.on(PutBucketPolicyCommand).rejects(new Error("connection reset"));
    const run = lifted()(BUCKET, async () => "done");
    await expect(run).rejects.toThrow(PolicyRestoreError);
    await expect(lifted()(BUCKET, async () => "done")).rejects.toThrow(
      /could not be put back \(connection reset\)\. Restore it: aws s3api put-bucket-policy --bucket site-primary --policy '\{"Version"/,
    );
  });

  it("fails when the policy reads back different", async () => {
    s3.on(GetBucketPolicyCommand)
      .resolvesOnce({ Policy: POLICY })
      .resolves({ Policy: '{"Version":"2012-10-17","Statement":[]}' });
    await expect(lifted()(BUCKET, async () => "done")).rejects.toThrow(/it reads back different/);
  });
});

describe("object writes on AWS", () => {
  it("runs the body and touches no policy", async () => {
    expect(await directObjectWrites(BUCKET, async () => "done")).toBe("done");
    expect(s3.calls()).toHaveLength(0);
  });
});
