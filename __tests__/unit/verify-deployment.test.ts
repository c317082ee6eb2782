// The verifier against a fake deployment of the real synthesized stack: a clean deployment
// passes; each drift, made by perturbing one AWS answer, fails with a row naming the resource,
// the path, the expected and the found value.
import { EMULATOR_DIFFERENCES, EmulatorDifference } from "../../src/ops/emulator/differences";
import { NOT_DECLARED, NOT_SET, VerifyRow, rowPasses } from "../../src/ops/verify/row";
import { verifyDeployment } from "../../src/ops/verify/verify";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AwsClients } from "../../src/ops/aws-clients";
import { Declaration } from "../../src/ops/verify/declaration";
import { AliasDirectory } from "../../src/ops/kms-aliases";
import { callerIdentity } from "../../src/ops/caller-identity";
import { discoverDeployment } from "../../src/ops/deployment/live-index";
import { ACCOUNT, FakeDeployment, awsError } from "./helpers/fake-deployment";

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

let fake: FakeDeployment;
beforeEach(() => {
  fake = new FakeDeployment();
});
afterEach(() => fake.restore());

async function verify(tolerances: readonly EmulatorDifference[] = []): Promise<VerifyRow[]> {
  const result = await verifyDeployment({ synthesized: fake.synthesized, env: ENV, tolerances });
  return [...result.rows];
}

const failing = (rows: readonly VerifyRow[]) => rows.filter((row) => !rowPasses(row));

describe("a clean deployment", () => {
  it("passes every row, one per declared resource", async () => {
    const rows = await verify();
    const declared = Object.values(fake.synthesized.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(failing(rows)).toEqual([]);
    expect(rows).toHaveLength(declared);
  });

  it('ignores the metadata cdktf writes under "//" outside the test synth (a comment to Terraform)', async () => {
    const buckets = Object.values(fake.synthesized.resource.aws_s3_bucket);
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) bucket["//"] = { metadata: { path: "site-storage/bucket", uniqueId: "bucket" } };
    expect(failing(await verify())).toEqual([]);
  });
});

/** The failing rows, as resource (address without the live name), path, expected, found. */
async function drift(tolerances: readonly EmulatorDifference[] = []) {
  return failing(await verify(tolerances)).map((row) => ({
    resource: row.resource.replace(/_[0-9A-F]{8} \(.*\)$/, ""),
    path: row.path,
    expected: row.expected,
    found: row.found,
    ...(row.note === undefined ? {} : { note: row.note }),
  }));
}

const ROLE = "portfolio-site-s3-replication";
const notDeclared = (resource: string, path: string, found: string) => ({
  resource,
  path,
  expected: NOT_DECLARED,
  found,
  note: "not declared",
});

describe("drift the README lists fails with exit 1, naming resource, path, expected and found", () => {
  it("reports the S3 Bucket Key turned off", async () => {
    (fake.bucket("primary").encryption ?? [])[0].BucketKeyEnabled = false;
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_server_side_encryption_configuration.primary-bucket_encryption",
        path: "rule.bucket_key_enabled",
        expected: "true",
        found: "false",
      },
    ]);
  });

  it("reports a public access block removed", async () => {
    fake.bucket("replica").publicAccessBlock = undefined;
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_public_access_block.replica-bucket_public-access-block",
        path: "",
        expected: "exists, as declared",
        found: "(missing)",
      },
    ]);
  });

  it("reports one public access block flag turned off", async () => {
    fake.bucket("logs").publicAccessBlock = { ...fake.bucket("logs").publicAccessBlock, RestrictPublicBuckets: false };
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_public_access_block.primary-log-bucket_public-access-block",
        path: "restrict_public_buckets",
        expected: "true",
        found: "false",
      },
    ]);
  });

  it("reports key rotation disabled", async () => {
    fake.key("replica").rotation = false;
    expect(await drift()).toEqual([
      { resource: "aws_kms_key.replica-key", path: "enable_key_rotation", expected: "true", found: "false" },
    ]);
  });

  it("reports a disabled key by its state, an expectation that is not an argument", async () => {
    fake.key("primary").state = "Disabled";
    expect(await drift()).toEqual([
      { resource: "aws_kms_key.primary-key", path: "key_state", expected: "Enabled", found: "Disabled" },
    ]);
  });

  it("reports an edited policy statement at the condition that changed", async () => {
    const bucket = fake.bucket("primary");
    bucket.policy = (bucket.policy ?? "").replace('"aws:SecureTransport":"false"', '"aws:SecureTransport":"true"');
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_policy.primary-bucket_policy",
        path: "policy.statement.DenyInsecureTransport.Condition.Bool.aws:SecureTransport",
        expected: "[false]",
        found: "[true]",
      },
    ]);
  });

  it("reports a policy statement nobody declared", async () => {
    const policy = JSON.parse(fake.key("primary").policy);
    policy.Statement.push({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" });
    fake.key("primary").policy = JSON.stringify(policy);
    expect(await drift()).toEqual([
      {
        resource: "aws_kms_key_policy.primary-key_policy_A2D6C2E2",
        path: "policy.statement.Open",
        expected: NOT_DECLARED,
        found: "{Action=[kms:Decrypt], Effect=Allow, Principal={AWS=[*]}, Resource=[*], Sid=Open}",
        note: "not declared",
      },
    ]);
  });

  it("reports versioning suspended", async () => {
    fake.bucket("replica").versioning = "Suspended";
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_versioning.replica-bucket_versioning",
        path: "versioning_configuration.status",
        expected: "Enabled",
        found: "Suspended",
      },
    ]);
  });

  it("reports replication removed", async () => {
    fake.bucket("primary").replication = undefined;
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_replication_configuration.replication_configuration",
        path: "",
        expected: "exists, as declared",
        found: "(missing)",
      },
    ]);
  });

  it("reports a lifecycle rule changed, by the rule's id", async () => {
    const rule = (fake.bucket("primary").lifecycle ?? [])[0];
    rule.NoncurrentVersionExpiration = { NoncurrentDays: 30 };
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_lifecycle_configuration.primary-bucket_lifecycle",
        path: "rule.archive-then-expire-noncurrent-versions.noncurrent_version_expiration.noncurrent_days",
        expected: "365",
        found: "30",
      },
    ]);
  });

  it("reports a lifecycle rule narrowed by a filter the stack does not declare", async () => {
    (fake.bucket("logs").lifecycle ?? [])[0].Filter = { Prefix: "old/" };
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_lifecycle_configuration.primary-log-bucket_lifecycle",
        path: "rule.expire-logs.filter.prefix",
        expected: NOT_DECLARED,
        found: "old/",
        note: "not declared",
      },
    ]);
  });

  it("reports the logging target changed", async () => {
    fake.bucket("primary").logging = { TargetBucket: "elsewhere", TargetPrefix: "primary/" };
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_logging.primary-bucket_logging",
        path: "target_bucket",
        expected: fake.bucketName("logs"),
        found: "elsewhere",
      },
    ]);
  });

  it("reports a replication storage class changed, by the rule's id", async () => {
    const rule = (fake.bucket("primary").replication?.Rules ?? [])[0];
    rule.Destination = { ...rule.Destination, Bucket: rule.Destination?.Bucket, StorageClass: "GLACIER" };
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_replication_configuration.replication_configuration",
        path: "rule.replicate-everything.destination.storage_class",
        expected: "STANDARD",
        found: "GLACIER",
      },
    ]);
  });
});

describe("what the stack does not declare but widens access or moves data is drift", () => {
  it("reports a default tag removed from a bucket", async () => {
    delete fake.bucket("replica").tags.Project;
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket.replica-bucket",
        path: "tags_all.Project",
        expected: "portfolio-site",
        found: NOT_SET,
      },
    ]);
  });

  it("reports a default tag removed from a key", async () => {
    delete fake.key("primary").tags.Project;
    expect(await drift()).toEqual([
      { resource: "aws_kms_key.primary-key", path: "tags_all.Project", expected: "portfolio-site", found: NOT_SET },
    ]);
  });

  it("reports a KMS grant giving another account kms:Decrypt", async () => {
    fake.key("primary").grants.push({
      GrantId: "g-1",
      GranteePrincipal: "arn:aws:iam::999999999999:root",
      Operations: ["Decrypt"],
    });
    expect(await drift()).toEqual([
      notDeclared(
        "aws_kms_key.primary-key",
        "grant g-1",
        "{grantee=arn:aws:iam::999999999999:root, operations=[Decrypt]}",
      ),
    ]);
  });

  it("reports a second inline policy on the replication role", async () => {
    const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
    fake.roles.get(ROLE)?.inline.set("everything", encodeURIComponent(JSON.stringify(everything)));
    expect(await drift()).toEqual([notDeclared("aws_iam_role.replication_role", "inline policy", "everything")]);
  });

  it("reports a managed policy attached to the replication role", async () => {
    const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    fake.roles.get(ROLE)?.attached.push({ PolicyName: "AdministratorAccess", PolicyArn: arn });
    expect(await drift()).toEqual([notDeclared("aws_iam_role.replication_role", "attached managed policy", arn)]);
  });

  it("reports a replication configuration added to the replica bucket, copying it to an outside bucket", async () => {
    fake.bucket("replica").replication = {
      Role: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
      Rules: [{ ID: "copy-out", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::outside-bucket" } }],
    };
    expect(await drift()).toEqual([
      notDeclared(
        "aws_s3_bucket.replica-bucket",
        "replication rule copy-out",
        "Enabled to arn:aws:s3:::outside-bucket",
      ),
    ]);
  });

  it("reports website hosting, CORS and ACL grants on a bucket that declares none", async () => {
    fake.extra.set("GetBucketWebsite", { IndexDocument: { Suffix: "index.html" } });
    fake.extra.set("GetBucketCors", { CORSRules: [{ AllowedOrigins: ["*"], AllowedMethods: ["GET"] }] });
    fake.extra.set("GetBucketAcl", {
      Owner: { ID: "owner" },
      Grants: [
        { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" },
      ],
    });
    const rows = (await drift()).filter((row) => row.resource === "aws_s3_bucket.primary-bucket");
    expect(rows).toEqual([
      notDeclared("aws_s3_bucket.primary-bucket", "website configuration", "{Suffix=index.html}"),
      notDeclared("aws_s3_bucket.primary-bucket", "cors rule #1", "{methods=[GET], origins=[*]}"),
      notDeclared(
        "aws_s3_bucket.primary-bucket",
        "acl grant",
        "READ to http://acs.amazonaws.com/groups/global/AllUsers",
      ),
    ]);
  });
});

describe("keys", () => {
  it("reports a repointed alias on the alias row alone, naming the stack's key and the key it points to now", async () => {
    const stackKey = fake.key("primary");
    fake.keys.set("key-other", { ...stackKey, id: "key-other", tags: { ...stackKey.tags }, grants: [] });
    fake.aliases.set("alias/portfolio-site-primary", "key-other");
    expect(await drift()).toEqual([
      { resource: "aws_kms_alias.primary-key_alias", path: "target_key_id", expected: stackKey.id, found: "key-other" },
    ]);
  });

  it("reports an alias deleted", async () => {
    fake.aliases.delete("alias/portfolio-site-replica");
    expect(await drift()).toEqual([
      { resource: "aws_kms_alias.replica-key_alias", path: "", expected: "exists, as declared", found: "(missing)" },
    ]);
  });
});

describe("emulator tolerances come in as data", () => {
  const readsDisabled = () => {
    const rule = (fake.bucket("primary").replication?.Rules ?? [])[0];
    rule.DeleteMarkerReplication = { Status: "Disabled" };
    rule.SourceSelectionCriteria = undefined;
  };
  const REPLICATION = "aws_s3_bucket_replication_configuration.replication_configuration";

  it("fails what the emulator reads back differently when no tolerance is passed (AWS)", async () => {
    readsDisabled();
    expect(await drift()).toEqual([
      {
        resource: REPLICATION,
        path: "rule.replicate-everything.delete_marker_replication.status",
        expected: "Enabled",
        found: "Disabled",
      },
      {
        resource: REPLICATION,
        path: "rule.replicate-everything.source_selection_criteria.sse_kms_encrypted_objects.status",
        expected: "Enabled",
        found: NOT_SET,
      },
    ]);
  });

  it("passes them as tolerated rows, naming the difference, with the emulator's list", async () => {
    readsDisabled();
    const rows = await verify(EMULATOR_DIFFERENCES);
    expect(failing(rows)).toEqual([]);
    const tolerated = rows.filter((row) => row.status === "tolerated");
    expect(tolerated.map((row) => [row.path, row.expected, row.found])).toEqual([
      ["rule.replicate-everything.delete_marker_replication", "{status=Enabled}", "{status=Disabled}"],
      ["rule.replicate-everything.source_selection_criteria", "{sse_kms_encrypted_objects={status=Enabled}}", NOT_SET],
    ]);
    expect(tolerated[0].note).toMatch(
      /^known emulator difference: moto reads DeleteMarkerReplication back as Disabled/,
    );
  });

  it("tolerates only the listed value: any other value fails with the emulator's list too", async () => {
    const rule = (fake.bucket("primary").replication?.Rules ?? [])[0];
    rule.SourceSelectionCriteria = { SseKmsEncryptedObjects: { Status: "Disabled" } };
    expect(failing(await verify(EMULATOR_DIFFERENCES)).map((row) => [row.path, row.found])).toEqual([
      ["rule.replicate-everything.source_selection_criteria.sse_kms_encrypted_objects.status", "Disabled"],
    ]);
  });
});

describe("reads AWS refuses", () => {
  it("stop the run as could-not-run (exit 2), naming the IAM permission that is missing, never as drift", async () => {
    fake.iam.on(GetRolePolicyCommand).rejects(awsError("AccessDenied", 403));
    await expect(drift()).rejects.toMatchObject({
      name: "CannotRunError",
      reason: "permission",
      message: expect.stringMatching(/AWS denied .*iam:GetRolePolicy|AWS denied .*the permission for this call/),
    });
  });
});

describe("finding a deployment without a state", () => {
  it("builds every ARN in the partition of the caller STS names", async () => {
    fake.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws-cn:iam::${ACCOUNT}:user/me` });
    const clients = new AwsClients(ENV);
    try {
      const caller = await callerIdentity(clients, "us-east-1");
      const index = await discoverDeployment(
        fake.synthesized,
        clients,
        new AliasDirectory(clients),
        caller,
        "us-east-1",
        [],
      );
      const declaration = new Declaration(fake.synthesized, index, "us-east-1");
      const [configuration] = declaration.resources("aws_s3_bucket_replication_configuration");
      expect(declaration.resolved(configuration, "role")).toBe(
        `arn:aws-cn:iam::${ACCOUNT}:role/portfolio-site-s3-replication`,
      );
      const rule = (declaration.resolved(configuration, "rule") as Record<string, Record<string, unknown>>[])[0];
      expect(rule.destination.bucket).toBe(`arn:aws-cn:s3:::portfolio-site-replica-${ACCOUNT}`);
    } finally {
      clients.destroy();
    }
  });

  it("finds a key through its alias when its bucket's encryption is gone", async () => {
    fake.bucket("replica").encryption = undefined;
    expect(await drift()).toEqual([
      {
        resource: "aws_s3_bucket_server_side_encryption_configuration.replica-bucket_encryption",
        path: "",
        expected: "exists, as declared",
        found: "(missing)",
      },
    ]);
  });

  it("marks a key that neither a bucket nor an alias names as missing, instead of guessing it", async () => {
    fake.bucket("replica").encryption = undefined;
    fake.aliases.delete("alias/portfolio-site-replica");
    const rows = await drift();
    expect(rows).toContainEqual({
      resource: "aws_kms_key.replica-key",
      path: "",
      expected: "exists, as declared",
      found: "(missing)",
    });
    expect(rows).toContainEqual(
      expect.objectContaining({
        path: "rule.replicate-everything.destination.encryption_configuration.replica_kms_key_id",
        expected: expect.stringMatching(/^\(missing: no bucket encryption or alias of aws_kms_key\.replica-key_/),
      }),
    );
  });
});
