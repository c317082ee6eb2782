// Each construct with only its required props, alone in a bare stack with a provider: what it
// creates on its own, and the safe default of every optional prop. The site stack always passes
// these props from the settings, so only these tests show the defaults themselves.
import { TerraformStack, Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { logLifecycleRules } from "../../src/infra/constructs/lifecycle-rules";
import { RegionalKey } from "../../src/infra/constructs/regional-key";
import { ReplicationLink } from "../../src/infra/constructs/replication-link";
import { SecureBucket } from "../../src/infra/constructs/secure-bucket";
import { keyPolicyFor } from "../../src/infra/policies/key-policy";
import { parsePolicy, sidsOf } from "./helpers/policy-json";

const IDS = { partition: "aws", accountId: "123456789012" } as const;

/** A bare stack with one provider, in us-east-1. */
function bareStack(): { stack: TerraformStack; provider: AwsProvider } {
  const stack = new TerraformStack(Testing.app(), "bare");
  return { stack, provider: new AwsProvider(stack, "aws", { region: "us-east-1" }) };
}

function keyIn(stack: TerraformStack, provider: AwsProvider, id = "key"): RegionalKey {
  return new RegionalKey(stack, id, {
    provider,
    aliasName: `alias/${id}`,
    description: "test key",
    policy: keyPolicyFor({ ...IDS, allowCloudFront: false }),
  });
}

function bucketIn(stack: TerraformStack, provider: AwsProvider, id = "bucket"): SecureBucket {
  return new SecureBucket(stack, id, {
    provider,
    bucketName: `${id}-123456789012`,
    ...IDS,
    encryption: { kind: "kms", key: keyIn(stack, provider, `${id}-key`) },
    lifecycleRules: logLifecycleRules(30, 7),
  });
}

describe("RegionalKey with only its required props", () => {
  it("rotates, waits the longest deletion window KMS allows (30 days) and carries prevent_destroy", () => {
    const { stack, provider } = bareStack();
    keyIn(stack, provider);
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: "alias/key" });
  });

  it("drops prevent_destroy only when asked", () => {
    const { stack, provider } = bareStack();
    new RegionalKey(stack, "key", {
      provider,
      aliasName: "alias/key",
      description: "test key",
      policy: keyPolicyFor({ ...IDS, allowCloudFront: false }),
      preventDestroy: false,
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: false } });
  });
});

describe("SecureBucket with only its required props", () => {
  it("keeps force_destroy off and carries prevent_destroy", () => {
    const { stack, provider } = bareStack();
    bucketIn(stack, provider);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(S3Bucket, {
      bucket: "bucket-123456789012",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("turns ACLs off, blocks public access with all four flags and enables versioning", () => {
    const { stack, provider } = bareStack();
    bucketIn(stack, provider);
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: "Enabled" },
    });
  });

  it("grants nothing but the TLS-only denials, and logs nowhere", () => {
    const { stack, provider } = bareStack();
    bucketIn(stack, provider);
    const synthesized = Testing.synth(stack);
    const policies = JSON.parse(synthesized).resource[S3BucketPolicy.tfResourceType] as Record<
      string,
      { policy: string }
    >;
    expect(Object.values(policies).map((p) => sidsOf(parsePolicy(p.policy)))).toEqual([
      ["DenyInsecureTransport", "DenyOutdatedTls"],
    ]);
    expect(synthesized).not.toHaveResource(S3BucketLoggingA);
  });

  it("drops prevent_destroy only when asked", () => {
    const { stack, provider } = bareStack();
    new SecureBucket(stack, "bucket", {
      provider,
      bucketName: "bucket-123456789012",
      ...IDS,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logLifecycleRules(30, 7),
      preventDestroy: false,
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(S3Bucket, {
      force_destroy: false,
      lifecycle: { prevent_destroy: false },
    });
  });
});

describe("ReplicationLink with only its required props", () => {
  function link(): TerraformStack {
    const stack = new TerraformStack(Testing.app(), "bare");
    const east = new AwsProvider(stack, "east", { alias: "east", region: "us-east-1" });
    const west = new AwsProvider(stack, "west", { alias: "west", region: "us-west-2" });
    const source = bucketIn(stack, east, "source");
    const destination = bucketIn(stack, west, "destination");
    new ReplicationLink(stack, "link", {
      source: { bucket: source, region: "us-east-1", key: keyIn(stack, east, "source-link-key") },
      destination: { bucket: destination, region: "us-west-2", key: keyIn(stack, west, "destination-link-key") },
      ...IDS,
      dnsSuffix: "amazonaws.com",
      roleName: "replication",
    });
    return stack;
  }

  it("stores replicas as STANDARD, without Replication Time Control or its metrics", () => {
    const configuration = JSON.parse(Testing.synth(link())).resource[S3BucketReplicationConfigurationA.tfResourceType];
    const rules = Object.values(configuration as Record<string, { rule: { destination: object }[] }>).flatMap(
      (c) => c.rule,
    );
    expect(rules).toHaveLength(1);
    expect(rules[0].destination).toEqual({
      bucket: "arn:aws:s3:::destination-123456789012",
      storage_class: "STANDARD",
      encryption_configuration: expect.any(Object),
    });
  });

  it("gives the replication role no permissions boundary", () => {
    const roles = JSON.parse(Testing.synth(link())).resource[IamRole.tfResourceType] as Record<string, object>;
    expect(Object.values(roles)).toEqual([expect.not.objectContaining({ permissions_boundary: expect.anything() })]);
  });
});
