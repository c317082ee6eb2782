import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { NormalPolicy, normalizePolicy, normalizeStatement } from "../../src/common/policy";
import { parsePolicy, sidsOf, statementOf } from "./helpers/policy-json";
import {
  SiteFixture,
  accountFacts,
  addressOf,
  blockOf,
  bucketArnOf,
  refOf,
  resourcesOfType,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

function names(site: SiteFixture) {
  const { account } = accountFacts(site);
  return {
    primary: `${site.settings.project}-primary-${account}`,
    replica: `${site.settings.project}-replica-${account}`,
  };
}

function trustPolicy(site: SiteFixture): NormalPolicy {
  return parsePolicy(blockOf(site, site.stack.replication.role).assume_role_policy);
}

function permissionPolicy(site: SiteFixture): NormalPolicy {
  return parsePolicy(blockOf(site, site.stack.replication.rolePolicy).policy);
}

describe("the replication role", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("is an IAM role with the project's fixed name, declared through the primary provider, without a boundary when no CI manages it", () => {
    expect(site.synthesized).toHaveResourceWithProperties(IamRole, {
      provider: "aws.primary",
      name: "portfolio-site-s3-replication",
    });
    expect(Object.values(resourcesOfType(site, IamRole.tfResourceType))[0].permissions_boundary).toBeUndefined();
  });

  it("carries the site-ci permissions boundary once the CI's apply role manages it", () => {
    const withCi = synthSite({
      backend: { type: "s3", bucket: "acme-state-bucket" },
      ci: { githubRepository: "acme/site" },
    });
    const { account, partition } = accountFacts(withCi);
    expect(withCi.synthesized).toHaveResourceWithProperties(IamRole, {
      permissions_boundary: `arn:${partition}:iam::${account}:policy/portfolio-site-s3-replication-boundary`,
    });
  });

  it("can be assumed only by s3.amazonaws.com, for this account and the primary bucket wherever S3 sends them", () => {
    const { account } = accountFacts(site);
    expect(trustPolicy(site)).toEqual(
      normalizePolicy({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AllowS3ToAssumeForReplication",
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEqualsIfExists: { "aws:SourceAccount": account },
              ArnLikeIfExists: { "aws:SourceArn": bucketArnOf(site, names(site).primary) },
            },
          },
        ],
      }),
    );
  });

  it("names the primary bucket's exact ARN in the trust condition, with no wildcard", () => {
    const arn = trustPolicy(site).Statement[0].Condition?.ArnLikeIfExists?.["aws:SourceArn"];
    expect(arn).toEqual([bucketArnOf(site, names(site).primary)]);
    expect(arn?.join()).not.toContain("*");
  });

  it("gets its permissions from one inline policy attached to it, through the primary provider", () => {
    expect(Object.keys(resourcesOfType(site, IamRolePolicy.tfResourceType))).toHaveLength(1);
    expect(site.synthesized).toHaveResourceWithProperties(IamRolePolicy, {
      provider: "aws.primary",
      role: refOf(site, site.stack.replication.role, "id"),
    });
  });

  it("has exactly the five least-privilege statements", () => {
    expect(sidsOf(permissionPolicy(site))).toEqual([
      "DecryptWithSourceKey",
      "EncryptWithDestinationKey",
      "ReadSourceObjectVersions",
      "ReadSourceReplicationConfiguration",
      "WriteReplicas",
    ]);
  });

  it("reads the replication configuration and lists the primary bucket, on its exact ARN", () => {
    expect(statementOf(permissionPolicy(site), "ReadSourceReplicationConfiguration")).toEqual(
      normalizeStatement({
        Sid: "ReadSourceReplicationConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: bucketArnOf(site, names(site).primary),
      }),
    );
  });

  it("reads object versions, their ACLs and tags on the primary bucket's objects only", () => {
    expect(statementOf(permissionPolicy(site), "ReadSourceObjectVersions")).toEqual(
      normalizeStatement({
        Sid: "ReadSourceObjectVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${bucketArnOf(site, names(site).primary)}/*`,
      }),
    );
  });

  it("replicates objects, deletes and tags into the replica bucket's objects only", () => {
    expect(statementOf(permissionPolicy(site), "WriteReplicas")).toEqual(
      normalizeStatement({
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: `${bucketArnOf(site, names(site).replica)}/*`,
      }),
    );
  });

  it("decrypts with the primary key only through S3 in the primary region, for primary-bucket objects", () => {
    const primaryArn = bucketArnOf(site, names(site).primary);
    expect(statementOf(permissionPolicy(site), "DecryptWithSourceKey")).toEqual(
      normalizeStatement({
        Sid: "DecryptWithSourceKey",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: refOf(site, site.stack.primaryKey.key, "arn"),
        Condition: {
          StringEquals: { "kms:ViaService": `s3.us-east-1.${accountFacts(site).dnsSuffix}` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [primaryArn, `${primaryArn}/*`] },
        },
      }),
    );
  });

  it("encrypts with the replica key (and decrypts its Bucket Key) only through S3 in the replica region", () => {
    const replicaArn = bucketArnOf(site, names(site).replica);
    expect(statementOf(permissionPolicy(site), "EncryptWithDestinationKey")).toEqual(
      normalizeStatement({
        Sid: "EncryptWithDestinationKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
        Resource: refOf(site, site.stack.replicaKey.key, "arn"),
        Condition: {
          StringEquals: { "kms:ViaService": `s3.us-west-2.${accountFacts(site).dnsSuffix}` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [replicaArn, `${replicaArn}/*`] },
        },
      }),
    );
  });

  it("accepts the bucket ARN itself as the KMS encryption context, which is what S3 sends with a Bucket Key", () => {
    // With a Bucket Key the context is the bucket ARN; a condition on object ARNs alone would deny replication.
    const policy = permissionPolicy(site);
    const contexts = (sid: string) =>
      statementOf(policy, sid).Condition?.StringLike?.["kms:EncryptionContext:aws:s3:arn"] ?? [];
    expect(contexts("DecryptWithSourceKey")).toContain(bucketArnOf(site, names(site).primary));
    expect(contexts("EncryptWithDestinationKey")).toContain(bucketArnOf(site, names(site).replica));
  });

  it("names no wildcard resource and no alias: every resource is an exact bucket, object or key ARN", () => {
    const named = permissionPolicy(site).Statement.flatMap((statement) =>
      (statement.Resource ?? []).map((resource) => ({ statement, resource })),
    );
    for (const { statement, resource } of nonEmpty(named, "statement resource")) {
      expect({ sid: statement.Sid, resource }).toEqual({
        sid: statement.Sid,
        resource: expect.not.stringMatching(/^\*$|^arn:[^:]*:s3:::\*|alias\//),
      });
      expect(resource).toMatch(
        /^(arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:s3:::[\w${}.-]+(\/\*)?|\$\{aws_kms_key\.[\w-]+\.arn\})$/,
      );
    }
  });

  it("allows and never denies: no statement needs a Deny to be least privilege", () => {
    expect(permissionPolicy(site).Statement.map((s) => s.Effect)).toEqual(Array(5).fill("Allow"));
  });
});

describe("the replication role in other regions", () => {
  it("limits each key to S3 in that key's own region", () => {
    const site = synthSite({ primaryRegion: "eu-west-1", replicaRegion: "eu-central-1" });
    const policy = permissionPolicy(site);
    const { dnsSuffix } = accountFacts(site);
    expect(statementOf(policy, "DecryptWithSourceKey").Condition?.StringEquals).toEqual({
      "kms:ViaService": [`s3.eu-west-1.${dnsSuffix}`],
    });
    expect(statementOf(policy, "EncryptWithDestinationKey").Condition?.StringEquals).toEqual({
      "kms:ViaService": [`s3.eu-central-1.${dnsSuffix}`],
    });
  });
});

describe("the replication configuration with the default settings", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("is the only one, on the primary bucket, through the primary provider, with the replication role", () => {
    expect(Object.keys(resourcesOfType(site, S3BucketReplicationConfigurationA.tfResourceType))).toHaveLength(1);
    expect(site.synthesized).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      provider: "aws.primary",
      bucket: refOf(site, site.stack.primaryBucket.bucket, "id"),
      role: refOf(site, site.stack.replication.role, "arn"),
    });
  });

  it("waits for versioning on both buckets (S3 refuses replication to an unversioned destination)", () => {
    expect(blockOf(site, site.stack.replication.configuration).depends_on).toEqual(
      expect.arrayContaining([
        addressOf(site, site.stack.primaryBucket.versioning),
        addressOf(site, site.stack.replicaBucket.versioning),
      ]),
    );
  });

  it("has one rule for every object: an empty filter, not an empty prefix", () => {
    const rules = blockOf(site, site.stack.replication.configuration).rule;
    expect(rules).toHaveLength(1);
    expect(rules[0].filter).toEqual({});
    expect(rules[0]).not.toHaveProperty("prefix");
  });

  it("replicates delete markers and SSE-KMS encrypted objects into the replica bucket, as STANDARD, without RTC", () => {
    expect(site.synthesized).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      rule: [
        {
          id: "replicate-everything",
          status: "Enabled",
          filter: {},
          delete_marker_replication: { status: "Enabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
          destination: {
            bucket: bucketArnOf(site, names(site).replica),
            storage_class: "STANDARD",
            encryption_configuration: { replica_kms_key_id: refOf(site, site.stack.replicaKey.key, "arn") },
          },
        },
      ],
    });
  });

  it("encrypts replicas with the replica key by its ARN, not its alias", () => {
    const keyId: string = blockOf(site, site.stack.replication.configuration).rule[0].destination
      .encryption_configuration.replica_kms_key_id;
    expect(keyId).toBe(refOf(site, site.stack.replicaKey.key, "arn"));
    expect(keyId).not.toContain("alias");
  });
});

describe("the replication configuration with a storage class and Replication Time Control", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({ replication: { storageClass: "STANDARD_IA", replicationTimeControl: true } });
  });

  it("stores replicas in the configured storage class", () => {
    expect(blockOf(site, site.stack.replication.configuration).rule[0].destination.storage_class).toBe("STANDARD_IA");
  });

  it("turns on Replication Time Control and its metrics, both at S3's 15 minutes", () => {
    expect(site.synthesized).toHaveResourceWithProperties(S3BucketReplicationConfigurationA, {
      rule: [
        expect.objectContaining({
          destination: {
            bucket: bucketArnOf(site, names(site).replica),
            storage_class: "STANDARD_IA",
            encryption_configuration: { replica_kms_key_id: refOf(site, site.stack.replicaKey.key, "arn") },
            replication_time: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
          },
        }),
      ],
    });
  });
});
