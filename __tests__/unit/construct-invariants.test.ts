import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { keyPolicyFor } from "../../src/infra/policies/key-policy";
import { logLifecycleRules } from "../../src/infra/constructs/lifecycle-rules";
import { PropError } from "../../src/infra/constructs/prop-error";
import { RegionalKey } from "../../src/infra/constructs/regional-key";
import { ReplicationLink } from "../../src/infra/constructs/replication-link";
import { SecureBucket, SecureBucketProps } from "../../src/infra/constructs/secure-bucket";

/** A stack with one provider per region, and builders of the constructs under test. */
function world() {
  const stack = new TerraformStack(Testing.app(), "invariants");
  const east = new AwsProvider(stack, "east", { alias: "east", region: "us-east-1" });
  const west = new AwsProvider(stack, "west", { alias: "west", region: "us-west-2" });
  const ids = { partition: "aws", accountId: "123456789012" };
  let n = 0;
  const key = (provider: AwsProvider, deletionWindowInDays?: number) =>
    new RegionalKey(stack, `key-${++n}`, {
      provider,
      aliasName: `alias/k-${n}`,
      description: "test key",
      deletionWindowInDays,
      policy: keyPolicyFor({ ...ids, allowCloudFront: false }),
    });
  const bucket = (provider: AwsProvider, props: Partial<SecureBucketProps>) =>
    new SecureBucket(stack, `bucket-${++n}`, {
      provider,
      bucketName: `bucket-${n}`,
      ...ids,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logLifecycleRules(30, 7),
      ...props,
    });
  return { stack, east, west, key, bucket, ids };
}

/** The PropError a construction throws, to assert its fields and wording. */
function propError(build: () => unknown): PropError {
  try {
    build();
  } catch (error) {
    if (error instanceof PropError) return error;
    throw error;
  }
  throw new Error("expected a PropError, but the construct was built");
}

describe("RegionalKey", () => {
  it.each([6, 31, 7.5])(
    "refuses a deletion window of %p days, naming the prop, the value and the KMS range",
    (days) => {
      const { east, key } = world();
      const error = propError(() => key(east, days));
      expect(error.prop).toBe("deletionWindowInDays");
      expect(error.message).toBe(
        `invariants/key-1: deletionWindowInDays (got ${days}): must be a whole number of days from 7 to 30 (KMS PendingWindowInDays)`,
      );
    },
  );

  it("accepts the ends of the range", () => {
    const { east, key } = world();
    expect(() => key(east, 7)).not.toThrow();
    expect(() => key(east, 30)).not.toThrow();
  });
});

describe("SecureBucket", () => {
  it("refuses a default-encryption key of another region", () => {
    const { east, west, key, bucket } = world();
    const westKey = key(west);
    const error = propError(() => bucket(east, { encryption: { kind: "kms", key: westKey } }));
    expect(error.prop).toBe("encryption.key");
    expect(error.message).toMatch(
      /encryption\.key \(got "invariants\/key-1"\): must be a key of the bucket's region us-east-1, not us-west-2/,
    );
  });

  it("refuses SSE-KMS on a bucket that receives access logs", () => {
    const { east, key, bucket } = world();
    const eastKey = key(east);
    const error = propError(() =>
      bucket(east, {
        encryption: { kind: "kms", key: eastKey },
        receivesLogsFrom: { bucketName: "site", prefix: "site/" },
      }),
    );
    expect(error.message).toMatch(
      /encryption\.kind \(got "kms"\): must be "s3-managed" on a bucket that receives server access logs/,
    );
  });

  it("refuses a log target in another region", () => {
    const { east, west, bucket } = world();
    const westLogs = bucket(west, { receivesLogsFrom: { bucketName: "x", prefix: "x/" } });
    const error = propError(() => bucket(east, { accessLogs: { bucket: westLogs, prefix: "x/" } }));
    expect(error.prop).toBe("accessLogs.bucket");
    expect(error.message).toMatch(
      /must be in the bucket's region us-east-1, not us-west-2: S3 delivers access logs only within a region/,
    );
  });

  it("builds a same-region SSE-KMS bucket logging to a same-region SSE-S3 log bucket", () => {
    const { east, key, bucket } = world();
    const logs = bucket(east, { receivesLogsFrom: { bucketName: "site", prefix: "site/" } });
    expect(() =>
      bucket(east, { encryption: { kind: "kms", key: key(east) }, accessLogs: { bucket: logs, prefix: "site/" } }),
    ).not.toThrow();
  });
});

describe("ReplicationLink", () => {
  it("refuses an end whose key is not of the end's region", () => {
    const { stack, east, west, key, bucket, ids } = world();
    const source = { bucket: bucket(east, {}), region: "us-east-1", key: key(east) };
    const destination = { bucket: bucket(west, {}), region: "us-west-2", key: key(east) };
    const error = propError(
      () =>
        new ReplicationLink(stack, "link", {
          source,
          destination,
          ...ids,
          dnsSuffix: "amazonaws.com",
          roleName: "replication",
        }),
    );
    expect(error.message).toBe(
      'invariants/link: destination.key (got "us-east-1"): must be of destination.region us-west-2',
    );
  });
});
