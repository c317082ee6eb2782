import { Testing } from "cdktf";
import { parseSettings } from "../../src/config/load";
import { verifyDeployment } from "../../src/ops/verify/verify";
import { Declaration } from "../../src/ops/verify/declaration";
import { UnresolvedReferenceError, VerifyInputError } from "../../src/ops/verify/errors";
import { normalizePolicy } from "../../src/ops/verify/policies";
import { replicationRuleFromTerraform } from "../../src/ops/verify/replication";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { StateIndex, StateResource } from "../../src/ops/verify/references";

const ACCOUNT = "123456789012";
type Json = Record<string, Record<string, Record<string, unknown>>>;

/** The stack's cdk.tf.json, synthesized in memory. */
function synthesize(): { resource: Json; data: Json } {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new SiteStorageStack(app, "site-storage", parseSettings({}))));
}

/**
 * What a deployment of that JSON resolves to: the data sources, and every resource with the
 * attributes the declaration refers to.
 */
function fakeState(synthesized: { resource: Json; data: Json }, omit?: string): StateIndex {
  const accountRef = /\$\{data\.aws_caller_identity\.[^}]+\.account_id\}/g;
  const resources: StateResource[] = [];
  for (const [type, byName] of Object.entries(synthesized.data)) {
    for (const name of Object.keys(byName)) {
      resources.push({
        address: `data.${type}.${name}`,
        mode: "data",
        type,
        name,
        values: { account_id: ACCOUNT, partition: "aws", dns_suffix: "amazonaws.com" },
      });
    }
  }
  for (const [type, byName] of Object.entries(synthesized.resource)) {
    for (const [name, config] of Object.entries(byName)) {
      if (`${type}.${name}` === omit) continue;
      const region = config.provider === "aws.replica" ? "us-west-2" : "us-east-1";
      const id = type === "aws_s3_bucket" ? String(config.bucket).replace(accountRef, ACCOUNT) : `${name}-id`;
      resources.push({
        address: `${type}.${name}`,
        mode: "managed",
        type,
        name,
        values: {
          id,
          key_id: id,
          name: id,
          bucket: id,
          arn: type === "aws_kms_key" ? `arn:aws:kms:${region}:${ACCOUNT}:key/${id}` : `arn:aws:${type}:::${id}`,
        },
      });
    }
  }
  return new StateIndex(resources);
}

describe("the declaration read from cdk.tf.json", () => {
  const synthesized = synthesize();
  const declaration = new Declaration(synthesized, fakeState(synthesized));
  const primary = `portfolio-site-primary-${ACCOUNT}`;
  const replica = `portfolio-site-replica-${ACCOUNT}`;

  it("finds each bucket's configuration by the bucket it names, in its provider's region", () => {
    for (const name of [primary, replica, `portfolio-site-logs-${ACCOUNT}`, `portfolio-site-replica-logs-${ACCOUNT}`]) {
      for (const type of [
        "aws_s3_bucket",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
      ]) {
        expect(declaration.forBucket(type, name)).toHaveLength(1);
      }
    }
    expect(declaration.regionOf(declaration.oneForBucket("aws_s3_bucket", primary)!)).toBe("us-east-1");
    expect(declaration.regionOf(declaration.oneForBucket("aws_s3_bucket", replica)!)).toBe("us-west-2");
    expect(declaration.forBucket("aws_s3_bucket_logging", `portfolio-site-logs-${ACCOUNT}`)).toHaveLength(0);
  });

  it("resolves every policy of the stack to a document with no references left", () => {
    const policies = [
      ...declaration.resources("aws_s3_bucket_policy").map((r) => declaration.resolved(r, "policy")),
      ...declaration.resources("aws_kms_key_policy").map((r) => declaration.resolved(r, "policy")),
      ...declaration.resources("aws_iam_role").map((r) => declaration.resolved(r, "assume_role_policy")),
      ...declaration.resources("aws_iam_role_policy").map((r) => declaration.resolved(r, "policy")),
    ];
    expect(policies).toHaveLength(8);
    for (const policy of policies) {
      expect(policy).not.toContain("${");
      expect(normalizePolicy(policy).Statement.length).toBeGreaterThan(0);
    }
  });

  it("expects the replication the stack declares, with the replica key's ARN and delete markers Enabled", () => {
    const [configuration] = declaration.resources("aws_s3_bucket_replication_configuration");
    const [rule] = declaration.resolved(configuration, "rule") as Record<string, unknown>[];
    expect(replicationRuleFromTerraform(rule).fields).toMatchObject({
      replicaKmsKeyId: expect.stringMatching(/^arn:aws:kms:us-west-2:123456789012:key\//),
      destinationBucket: `arn:aws:s3:::${replica}`,
      deleteMarkerReplication: "Enabled",
      sourceSelectionCriteria: "{SseKmsEncryptedObjects=Enabled}",
    });
  });

  it("fails clearly when the deployment found lacks a resource the declaration refers to", () => {
    const keyName = Object.keys(synthesized.resource.aws_kms_key).find((n) => n.startsWith("replica-key"))!;
    const partial = new Declaration(synthesized, fakeState(synthesized, `aws_kms_key.${keyName}`));
    const [configuration] = partial.resources("aws_s3_bucket_replication_configuration");
    expect(() => partial.resolved(configuration, "rule")).toThrow(UnresolvedReferenceError);
    expect(() => partial.resolved(configuration, "rule")).toThrow(
      `aws_kms_key.${keyName} is not part of the deployment that was found`,
    );
  });

  it("rejects JSON that is not a synthesized stack", () => {
    expect(() => new Declaration({}, fakeState(synthesized))).toThrow(VerifyInputError);
  });
});

describe("verifyDeployment", () => {
  it("rejects JSON that is not a synthesized stack, before calling AWS", async () => {
    await expect(verifyDeployment({ synthesized: {}, env: {}, emulator: true, probe: false })).rejects.toThrow(
      VerifyInputError,
    );
  });
});
