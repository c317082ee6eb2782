// The object probe with a mocked S3: what lands when it writes (SSE-KMS with the bucket's key and
// the Bucket Key, the bytes read back), every version removed after, and a policy lift that
// cannot put the policy back is a failing row that says how to restore it.
import {
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { WithObjectWrites, directObjectWrites, emulatorObjectWrites } from "../../src/ops/emulator/object-writes";
import { ObjectProbeInput, PROBE_PREFIX, probeObjects } from "../../src/ops/probe/object-probe";
import { rowPasses } from "../../src/ops/verify/row";

const s3 = mockClient(S3Client);
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1111-2222";
const ENV = {
  AWS_ACCESS_KEY_ID: "k",
  AWS_SECRET_ACCESS_KEY: "s",
  AWS_REGION: "us-east-1",
  AWS_ENDPOINT_URL: `http://127.0.0.1:1/object-probe-test-${process.pid}`,
};
const POLICY = '{"Version":"2012-10-17","Statement":[]}';

/** The probe on the emulator's terms (no replication), with `withObjectWrites`. */
function input(withObjectWrites: WithObjectWrites): ObjectProbeInput {
  return {
    env: ENV,
    source: { role: "primary", name: "site-primary", region: "us-east-1", keyArn: KEY_ARN },
    replica: { role: "replica", name: "site-replica", region: "us-west-2" },
    tolerances: EMULATOR_DIFFERENCES,
    withObjectWrites,
    options: { timeoutSeconds: 1, progress: () => undefined },
  };
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({ VersionId: "v1" });
  s3.on(HeadObjectCommand).resolves({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true });
  // The SDK's body stream, as far as the probe reads it.
  s3.on(GetObjectCommand).callsFake((command: { Key: string }) => ({
    Body: { transformToString: async () => `site-storage replication probe ${command.Key}` },
  }));
  s3.on(ListObjectVersionsCommand).resolvesOnce({ Versions: [] });
  s3.on(DeleteObjectsCommand).resolves({});
});

describe("the object probe", () => {
  it("shows the object encrypted by default with the bucket's key and the Bucket Key, read back, then removed", async () => {
    // The probe's version is listed until it is deleted.
    s3.on(ListObjectVersionsCommand).callsFake((command: { Prefix: string }) => ({
      Versions: s3.commandCalls(DeleteObjectsCommand).length === 0 ? [{ Key: command.Prefix, VersionId: "v1" }] : [],
    }));
    const { rows, notShown } = await probeObjects(input(directObjectWrites));
    expect(rows.map((r) => [r.path, r.status])).toEqual([
      ["probe: write with no encryption headers", "pass"],
      ["probe: server-side encryption", "pass"],
      ["probe: KMS key", "pass"],
      ["probe: Bucket Key", "pass"],
      ["probe: read back", "pass"],
      ["probe: every version removed", "pass"],
    ]);
    expect(rows[0].resource).toMatch(new RegExp(`^site-primary/${PROBE_PREFIX}`));
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).not.toHaveProperty("ServerSideEncryption");
    expect(notShown).toEqual([expect.stringMatching(/^replication of an object: moto stores/)]);
  });

  it("fails the key row when S3 encrypted the object with another key", async () => {
    s3.on(HeadObjectCommand).resolves({
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: "other",
      BucketKeyEnabled: true,
    });
    const { rows } = await probeObjects(input(directObjectWrites));
    const key = rows.find((r) => r.path === "probe: KMS key");
    expect(key).toMatchObject({ expected: KEY_ARN, found: "other", status: "fail" });
  });

  it("fails with how to restore the policy when the emulator's lift cannot put it back", async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    s3.on(DeleteBucketPolicyCommand).resolves({});
    s3.on(PutBucketPolicyCommand).rejects(new Error("connection reset"));
    const { rows } = await probeObjects(input(emulatorObjectWrites(ENV, () => undefined)));
    const lift = rows.find((r) => r.path === "probe: object writes on the bucket");
    expect(lift?.status).toBe("fail");
    expect(lift?.found).toMatch(/could not be put back \(connection reset\)\. Restore it: aws s3api put-bucket-policy/);
    // The probe itself ran while the policy was lifted, and its rows are kept.
    expect(rows.filter(rowPasses).map((r) => r.path)).toContain("probe: read back");
  });
});
