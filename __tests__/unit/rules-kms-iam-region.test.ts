// The KMS, IAM and region rules of the pack: each tripped through a synthesized stack, and each
// met by the stack as shipped.
import { TerraformStack, Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PackRun, runPack, expectError, resultOf, site } from "./helpers/rule-pack";

/** A stack with one provider, for resources the shipped stack does not have. */
function small(build: (stack: TerraformStack) => void): PackRun {
  const stack = new TerraformStack(Testing.app(), "small");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  return runPack(stack);
}

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("KMS, IAM and region rules on the stack as shipped", () => {
  let shipped: PackRun;
  beforeAll(() => {
    shipped = site();
  });

  it.each([
    ["SITE-KMS-001", ["site/primary-key/key", "site/replica-key/key"]],
    ["SITE-KMS-002", ["site/primary-key/key", "site/replica-key/key"]],
    ["SITE-KMS-003", ["site/primary-key/key", "site/replica-key/key"]],
    ["SITE-IAM-001", ["site/replication/role", "site/replication/policy"]],
    ["SITE-IAM-002", ["site/replication/policy"]],
    [
      "SITE-REG-001",
      [
        "site/primary-bucket/encryption",
        "site/primary-bucket/logging",
        "site/replica-bucket/encryption",
        "site/replica-key/alias",
        "site/replication/configuration",
      ],
    ],
  ])("finds %s compliant on %j", (ruleId, paths) => {
    for (const path of paths)
      expect([path, resultOf(shipped.report, ruleId, path).result]).toEqual([path, "compliant"]);
  });

  it("lets the replication configuration reach the replica bucket and key, as AWS requires", () => {
    expect(resultOf(shipped.report, "SITE-REG-001", "site/replication/configuration").detail).toBe(
      "same region (us-east-1), except as AWS requires: " +
        "rule.destination.bucket uses bucket site/replica-bucket/bucket of us-west-2; " +
        "rule.destination.encryption_configuration.replica_kms_key_id uses kms key site/replica-key/key of us-west-2",
    );
  });

  it("does not apply the resource rule of IAM to a trust policy alone", () => {
    expect(resultOf(shipped.report, "SITE-IAM-002", "site/replication/role").result).toBe("not-applicable");
  });
});

describe("KMS rules tripped", () => {
  it("SITE-KMS-001 flags a key without rotation", () => {
    const run = site((s) => {
      s.replicaKey.key.enableKeyRotation = false;
    });
    expectError(run, "SITE-KMS-001", "site/replica-key/key", /^enable_key_rotation is false$/);
  });

  it("SITE-KMS-001 does not apply to an asymmetric key, which KMS cannot rotate", () => {
    const { report } = small(
      (stack) =>
        new KmsKey(stack, "signing", {
          customerMasterKeySpec: "RSA_2048",
          keyUsage: "SIGN_VERIFY",
          policy: policy({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "kms:*",
            Resource: "*",
          }),
        }),
    );
    expect(resultOf(report, "SITE-KMS-001", "small/signing")).toEqual({
      result: "not-applicable",
      detail: "RSA_2048 keys cannot rotate automatically",
    });
  });

  it("SITE-KMS-002 flags a key left with the default key policy", () => {
    const run = site((s) => s.primaryKey.node.tryRemoveChild(s.primaryKey.policy.node.id));
    expectError(run, "SITE-KMS-002", "site/primary-key/key", /no policy argument and no aws_kms_key_policy/);
    expect(resultOf(run.report, "SITE-KMS-003", "site/primary-key/key").result).toBe("not-applicable");
  });

  it("SITE-KMS-002 accepts a policy set by an aws_kms_key_policy", () => {
    const { report } = small((stack) => {
      const key = new KmsKey(stack, "key", { enableKeyRotation: true });
      new KmsKeyPolicy(stack, "key-policy", {
        keyId: key.id,
        policy: policy({
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
      });
    });
    expect(resultOf(report, "SITE-KMS-002", "small/key")).toEqual({
      result: "compliant",
      detail: "key policy set in small/key-policy",
    });
    // …and reads that policy too: the service principal has no condition.
    expect(resultOf(report, "SITE-KMS-003", "small/key").detail).toBe(
      "statement #1 of small/key-policy allows the service principal s3.amazonaws.com without a Condition",
    );
  });

  it("SITE-KMS-003 flags a service principal without a condition", () => {
    const run = site((s) => {
      s.primaryKey.key.policy = policy({
        Sid: "AllowS3",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
      });
    });
    expectError(
      run,
      "SITE-KMS-003",
      "site/primary-key/key",
      /^statement "AllowS3" of policy allows the service principal s3.amazonaws.com without a Condition$/,
    );
  });

  it("SITE-KMS-003 flags a wildcard principal unless a condition ties it to an account", () => {
    const run = site((s) => {
      s.replicaKey.key.policy = policy(
        {
          Sid: "Open",
          Effect: "Allow",
          Principal: "*",
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
        },
        {
          Sid: "ThisAccount",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } },
        },
        {
          Sid: "AllButOne",
          Effect: "Allow",
          NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "kms:*",
          Resource: "*",
        },
      );
    });
    expectError(
      run,
      "SITE-KMS-003",
      "site/replica-key/key",
      // Statements in the policy model's order: by Sid.
      /^statement "AllButOne" of policy allows everyone except a NotPrincipal; statement "Open" of policy allows a wildcard principal without an account-scoping condition$/,
    );
  });

  it("SITE-KMS-003 cannot show a policy safe when the policy model cannot read it", () => {
    const run = site((s) => {
      s.primaryKey.key.policy = policy({
        Sid: "Odd",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: "aws:SourceAccount",
      });
    });
    expectError(
      run,
      "SITE-KMS-003",
      "site/primary-key/key",
      /^policy: cannot verify: Condition must be an object, not "aws:SourceAccount"$/,
    );
  });
});

describe("IAM rules tripped", () => {
  it("SITE-IAM-001 flags a whole-service wildcard action in the role's policy", () => {
    const run = site((s) => {
      s.replication.rolePolicy.policy = policy({
        Sid: "Everything",
        Effect: "Allow",
        Action: ["s3:*", "kms:Decrypt"],
        Resource: s.primaryBucket.arn,
      });
    });
    expectError(run, "SITE-IAM-001", "site/replication/policy", /^statement "Everything" of policy allows s3:\*$/);
  });

  it('SITE-IAM-001 flags "*" in a trust policy and in an inline policy of a role', () => {
    const run = small(
      (stack) =>
        new IamRole(stack, "role", {
          assumeRolePolicy: policy({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "*" }),
          inlinePolicy: [{ name: "admin", policy: policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }],
        }),
    );
    expectError(
      run,
      "SITE-IAM-001",
      "small/role",
      /^statement #1 of assume_role_policy allows \*; statement #1 of inline_policy "admin" allows NotAction \["iam:\*"\]$/,
    );
    expectError(run, "SITE-IAM-002", "small/role", /^statement #1 of inline_policy "admin" grants \* on "\*"$/);
  });

  it('SITE-IAM-002 flags a restrictable action granted on "*"', () => {
    const run = site((s) => {
      s.replication.rolePolicy.policy = policy(
        { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
        { Sid: "FindDistribution", Effect: "Allow", Action: "cloudfront:ListDistributions", Resource: "*" },
        { Sid: "ReadAnything", Effect: "Allow", Action: ["s3:GetObject", "s3:ListAllMyBuckets"], Resource: "*" },
      );
    });
    // sts:GetCallerIdentity, cloudfront:ListDistributions and s3:ListAllMyBuckets support no
    // resource-level permissions: only s3:GetObject is named.
    expectError(
      run,
      "SITE-IAM-002",
      "site/replication/policy",
      /^statement "ReadAnything" of policy grants s3:GetObject on "\*"$/,
    );
  });
});

describe("the region rule tripped", () => {
  const PRIMARY_ENCRYPTION = "site/primary-bucket/encryption";

  it("flags default encryption with the other region's key", () => {
    const run = site((s) =>
      s.primaryBucket.encryption.putRule([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: s.replicaKey.arn },
          bucketKeyEnabled: true,
        },
      ]),
    );
    expectError(
      run,
      "SITE-REG-001",
      PRIMARY_ENCRYPTION,
      /^the resource is in us-east-1 but rule.apply_server_side_encryption_by_default.kms_master_key_id uses kms key site\/replica-key\/key of us-west-2$/,
    );
  });

  it("flags a key named by a literal ARN of another region", () => {
    const run = site((s) =>
      s.primaryBucket.encryption.putRule([
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          },
          bucketKeyEnabled: true,
        },
      ]),
    );
    expectError(run, "SITE-REG-001", PRIMARY_ENCRYPTION, /uses kms key arn:aws:kms:eu-west-1:.* of eu-west-1$/);
  });

  it("flags access logs sent to the other region's log bucket", () => {
    const run = site((s) => {
      s.primaryBucket.logging!.targetBucket = s.replicaLogBucket.bucket.id;
    });
    expectError(
      run,
      "SITE-REG-001",
      "site/primary-bucket/logging",
      /target_bucket uses bucket site\/replica-log-bucket\/bucket of us-west-2/,
    );
  });

  it("flags a replication configuration declared on a bucket of another region", () => {
    const run = site((s) => {
      s.replication.configuration.bucket = s.replicaBucket.bucket.id;
    });
    expectError(
      run,
      "SITE-REG-001",
      "site/replication/configuration",
      /but bucket uses bucket site\/replica-bucket\/bucket of us-west-2$/,
    );
  });
});
