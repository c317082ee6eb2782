// The S3 rules of the pack: each tripped by one change to the shipped stack (or a bare bucket),
// through a synthesized stack, and each met by the stack as shipped.
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { PackRun, runPack, expectError, expectWarning, resultOf, site } from "./helpers/rule-pack";

const PRIMARY = "site/primary-bucket/bucket";
const REPLICA = "site/replica-bucket/bucket";
const PRIMARY_LOGS = "site/primary-log-bucket/bucket";
const REPLICA_LOGS = "site/replica-log-bucket/bucket";

describe("S3 rules on the stack as shipped", () => {
  let shipped: PackRun;
  beforeAll(() => {
    shipped = site();
  });

  it.each([
    ["SITE-S3-001", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-002", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-003", [PRIMARY, REPLICA]],
    ["SITE-S3-004", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-005", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-006", [PRIMARY, REPLICA]],
    ["SITE-S3-007", [PRIMARY]],
    ["SITE-S3-008", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-009", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
    ["SITE-S3-010", [PRIMARY, REPLICA, PRIMARY_LOGS, REPLICA_LOGS]],
  ])("finds %s compliant on %j", (ruleId, paths) => {
    for (const path of paths)
      expect([path, resultOf(shipped.report, ruleId, path).result]).toEqual([path, "compliant"]);
  });

  it("encrypts log buckets with SSE-S3 and says why", () => {
    expect(resultOf(shipped.report, "SITE-S3-002", PRIMARY_LOGS).detail).toMatch(
      /^log bucket: SSE-S3 \(AES256\), since its bucket policy site\/primary-log-bucket\/policy lets logging\.s3\.amazonaws\.com write$/,
    );
  });

  it("exempts log buckets from access logging, the Bucket Key and replication", () => {
    for (const path of [PRIMARY_LOGS, REPLICA_LOGS]) {
      for (const ruleId of ["SITE-S3-003", "SITE-S3-006", "SITE-S3-007"]) {
        expect(resultOf(shipped.report, ruleId, path).result).toBe("not-applicable");
      }
    }
  });

  it("exempts the replica from replication because it is the destination", () => {
    expect(resultOf(shipped.report, "SITE-S3-007", REPLICA)).toEqual({
      result: "not-applicable",
      detail: "replication destination of site/replication/configuration",
    });
  });
});

describe("S3 rules tripped", () => {
  it("SITE-S3-001 flags suspended versioning", () => {
    const run = site((s) => s.primaryBucket.versioning.putVersioningConfiguration({ status: "Suspended" }));
    expectError(
      run,
      "SITE-S3-001",
      PRIMARY,
      /site\/primary-bucket\/versioning sets versioning_configuration.status = "Suspended"/,
    );
  });

  it("SITE-S3-002 flags a site bucket encrypted with SSE-S3", () => {
    const run = site((s) =>
      s.primaryBucket.encryption.putRule([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
    );
    expectError(run, "SITE-S3-002", PRIMARY, /sets sse_algorithm = "AES256", not "aws:kms"/);
  });

  it("SITE-S3-002 flags SSE-KMS without a customer-managed key", () => {
    const run = site((s) =>
      s.replicaBucket.encryption.putRule([
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true },
      ]),
    );
    expectError(run, "SITE-S3-002", REPLICA, /no kms_master_key_id: S3 would use the AWS-managed aws\/s3 key/);
  });

  it("SITE-S3-002 flags a log bucket encrypted with SSE-KMS, which log delivery cannot write to", () => {
    const run = site((s) =>
      s.primaryLogBucket.encryption.putRule([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: s.primaryKey.arn },
          bucketKeyEnabled: true,
        },
      ]),
    );
    expectError(
      run,
      "SITE-S3-002",
      PRIMARY_LOGS,
      /receives server access logs .* but sse_algorithm is "aws:kms": S3 log delivery needs SSE-S3/,
    );
  });

  it("SITE-S3-003 warns when SSE-KMS runs without the Bucket Key", () => {
    const run = site((s) =>
      s.primaryBucket.encryption.putRule([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: s.primaryKey.arn },
          bucketKeyEnabled: false,
        },
      ]),
    );
    expectWarning(run, "SITE-S3-003", PRIMARY, /bucket_key_enabled = false/);
  });

  it("SITE-S3-004 flags a public access block with a flag off", () => {
    const run = site((s) => {
      s.replicaLogBucket.publicAccessBlock.blockPublicPolicy = false;
    });
    expectError(run, "SITE-S3-004", REPLICA_LOGS, /does not set block_public_policy to true/);
  });

  it("SITE-S3-005 flags ownership other than BucketOwnerEnforced", () => {
    const run = site((s) => s.primaryBucket.ownershipControls.putRule({ objectOwnership: "ObjectWriter" }));
    expectError(run, "SITE-S3-005", PRIMARY, /object_ownership = "ObjectWriter"/);
  });

  it("SITE-S3-006 flags a site bucket without access logging", () => {
    const run = site((s) => s.replicaBucket.node.tryRemoveChild("logging"));
    expectError(run, "SITE-S3-006", REPLICA, /no aws_s3_bucket_logging/);
  });

  it("SITE-S3-007 flags the primary (and the replica, no longer a destination) without replication", () => {
    const run = site((s) => s.replication.node.tryRemoveChild("configuration"));
    expectError(run, "SITE-S3-007", PRIMARY, /no aws_s3_bucket_replication_configuration replicates this bucket/);
    expectError(run, "SITE-S3-007", REPLICA, /no aws_s3_bucket_replication_configuration/);
  });

  it("SITE-S3-007 flags a replication configuration whose only rule is disabled", () => {
    const run = site((s) =>
      s.replication.configuration.putRule([
        {
          id: "off",
          status: "Disabled",
          filter: {},
          deleteMarkerReplication: { status: "Disabled" },
          destination: { bucket: s.replicaBucket.arn },
        },
      ]),
    );
    expectError(run, "SITE-S3-007", PRIMARY, /has no enabled rule with a destination/);
  });

  it("SITE-S3-008 warns when no lifecycle rule aborts incomplete multipart uploads for every object", () => {
    const run = site((s) =>
      s.replicaBucket.lifecycleConfiguration.putRule([
        {
          id: "abort-under-a-prefix-only",
          status: "Enabled",
          filter: [{ prefix: "uploads/" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ]),
    );
    expectWarning(run, "SITE-S3-008", REPLICA, /no enabled lifecycle rule for every object/);
  });

  it("SITE-S3-009 flags a bucket policy without the TLS-only deny", () => {
    const run = site((s) => {
      s.primaryBucket.policy.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [s.primaryBucket.arn, `${s.primaryBucket.arn}/*`],
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
          },
        ],
      });
    });
    expectError(run, "SITE-S3-009", PRIMARY, /no bucket policy statement denies s3:\* to everyone/);
  });

  it("SITE-S3-009 flags a TLS deny that covers the objects but not the bucket", () => {
    const run = site((s) => {
      s.replicaBucket.policy.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "s3:*",
            Resource: `${s.replicaBucket.arn}/*`,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
    });
    expectError(run, "SITE-S3-009", REPLICA, /no bucket policy statement denies/);
  });

  it("SITE-S3-010 flags force_destroy", () => {
    const run = site((s) => {
      s.primaryLogBucket.bucket.forceDestroy = true;
    });
    expectError(run, "SITE-S3-010", PRIMARY_LOGS, /^force_destroy = true$/);
  });

  it("trips every configuration rule on a bare bucket, naming the missing resource", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new S3Bucket(stack, "bucket", { bucket: "bare-bucket" });
    const { report, synthError } = runPack(stack);
    expect(report.errors.map((e) => [e.ruleId, e.detail])).toEqual([
      ["SITE-S3-001", "no aws_s3_bucket_versioning configures this bucket"],
      ["SITE-S3-002", "no aws_s3_bucket_server_side_encryption_configuration configures this bucket"],
      ["SITE-S3-004", "no aws_s3_bucket_public_access_block configures this bucket"],
      ["SITE-S3-005", "no aws_s3_bucket_ownership_controls configures this bucket (ACLs stay enabled)"],
      ["SITE-S3-006", "no aws_s3_bucket_logging sends this bucket's access logs anywhere"],
      ["SITE-S3-007", "no aws_s3_bucket_replication_configuration replicates this bucket"],
      ["SITE-S3-009", "no aws_s3_bucket_policy configures this bucket"],
    ]);
    expect(report.warnings.map((w) => w.ruleId)).toEqual(["SITE-S3-008"]);
    expect(resultOf(report, "SITE-S3-010", "bare/bucket")).toEqual({
      result: "compliant",
      detail: "force_destroy is unset",
    });
    expect(synthError).toContain("SITE-S3-001 S3 bucket versioning is not enabled: bare/bucket (aws_s3_bucket.bucket)");
  });
});
