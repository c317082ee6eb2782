import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { NormalPolicy, includesEveryone, normalizeStatement, servicePrincipals } from "../../src/common/policy";
import type { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { parsePolicy, sidsOf, statementOf } from "./helpers/policy-json";
import { SiteFixture, accountFacts, blockOf, refOf, resourcesOfType, synthSite } from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

const DISTRIBUTION_ARN = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL";

const KEYS = [
  { role: "primary", provider: "aws.primary", key: (s: SiteStorageStack) => s.primaryKey },
  { role: "replica", provider: "aws.replica", key: (s: SiteStorageStack) => s.replicaKey },
] as const;

function keyPolicy(site: SiteFixture, role: "primary" | "replica"): NormalPolicy {
  const key = role === "primary" ? site.stack.primaryKey : site.stack.replicaKey;
  return parsePolicy(blockOf(site, key.policy).policy);
}

/** The runbook's statement that keeps the key manageable, as the stack must render it. */
function rootStatement(site: SiteFixture) {
  const { partition, account } = accountFacts(site);
  return normalizeStatement({
    Sid: "AllowAccountRootFullAccess",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${account}:root` },
    Action: "kms:*",
    Resource: "*",
  });
}

/** S3's use of the key for replication, on behalf of this account only. */
function s3ReplicationStatement(site: SiteFixture) {
  return normalizeStatement({
    Sid: "AllowS3ReplicationUse",
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountFacts(site).account } },
  });
}

describe("the KMS keys with the default settings", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("are exactly one per region", () => {
    expect(
      Object.values(resourcesOfType(site, KmsKey.tfResourceType))
        .map((k) => k.provider)
        .sort(),
    ).toEqual(["aws.primary", "aws.replica"]);
  });

  describe.each(KEYS)("the $role key", ({ role, provider, key }) => {
    it(`is declared through ${provider} with automatic rotation`, () => {
      expect(site.synthesized).toHaveResourceWithProperties(KmsKey, {
        provider,
        enable_key_rotation: true,
        description: `S3 encryption key for portfolio-site ${role} bucket`,
      });
    });

    it("names the bucket it protects in its description", () => {
      expect(blockOf(site, key(site.stack).key).description).toBe(
        `S3 encryption key for portfolio-site ${role} bucket`,
      );
    });

    it(`has the alias alias/portfolio-site-${role} in the same region`, () => {
      expect(site.synthesized).toHaveResourceWithProperties(KmsAlias, {
        provider,
        name: `alias/portfolio-site-${role}`,
        target_key_id: refOf(site, key(site.stack).key, "key_id"),
      });
    });

    it("keeps the account root's kms:* so the key stays manageable", () => {
      expect(statementOf(keyPolicy(site, role), "AllowAccountRootFullAccess")).toEqual(rootStatement(site));
    });

    it("lets S3 use the key for replication only on behalf of this account (aws:SourceAccount)", () => {
      expect(statementOf(keyPolicy(site, role), "AllowS3ReplicationUse")).toEqual(s3ReplicationStatement(site));
    });
  });

  it("gives the primary key policy the root, CloudFront and S3 replication statements", () => {
    expect(sidsOf(keyPolicy(site, "primary"))).toEqual([
      "AllowAccountRootFullAccess",
      "AllowCloudFrontToDecrypt",
      "AllowS3ReplicationUse",
    ]);
  });

  it("with the cdn off and no distribution, lets CloudFront decrypt only for distributions of this account", () => {
    const storageOnly = synthSite({ cdn: { enabled: false } });
    const { partition, account } = accountFacts(storageOnly);
    expect(statementOf(keyPolicy(storageOnly, "primary"), "AllowCloudFrontToDecrypt")).toEqual(
      normalizeStatement({
        Sid: "AllowCloudFrontToDecrypt",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringLike: { "AWS:SourceArn": `arn:${partition}:cloudfront::${account}:distribution/*` } },
      }),
    );
  });

  it("gives the replica key no CloudFront statement: CloudFront never reads the replica", () => {
    const policy = keyPolicy(site, "replica");
    expect(sidsOf(policy)).toEqual(["AllowAccountRootFullAccess", "AllowS3ReplicationUse"]);
    expect(policy.Statement.flatMap(servicePrincipals)).not.toContain("cloudfront.amazonaws.com");
  });
});

describe("the KMS keys with a distribution, a project and a deletion window configured", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({
      project: "my-site",
      kmsDeletionWindowDays: 7,
      cloudfrontDistributionArn: DISTRIBUTION_ARN,
      cdn: { enabled: false },
    });
  });

  it.each(KEYS)("gives the $role key the configured deletion window", ({ key }) => {
    expect(blockOf(site, key(site.stack).key).deletion_window_in_days).toBe(7);
  });

  it.each(KEYS)("names the project in the $role key's description and alias", ({ role, key }) => {
    expect(blockOf(site, key(site.stack).key).description).toBe(`S3 encryption key for my-site ${role} bucket`);
    expect(blockOf(site, key(site.stack).alias).name).toBe(`alias/my-site-${role}`);
  });

  it("lets CloudFront decrypt with the primary key only for the configured distribution (StringEquals)", () => {
    expect(statementOf(keyPolicy(site, "primary"), "AllowCloudFrontToDecrypt")).toEqual(
      normalizeStatement({
        Sid: "AllowCloudFrontToDecrypt",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } },
      }),
    );
  });

  it("still gives the replica key no CloudFront statement", () => {
    expect(sidsOf(keyPolicy(site, "replica"))).toEqual(["AllowAccountRootFullAccess", "AllowS3ReplicationUse"]);
  });
});

describe("every key policy", () => {
  const cases = [
    { name: "without a distribution", input: {} },
    { name: "with a distribution", input: { cloudfrontDistributionArn: DISTRIBUTION_ARN, cdn: { enabled: false } } },
  ];

  it.each(cases)("grants nothing to a wildcard principal ($name)", ({ input }) => {
    const site = synthSite(input);
    for (const role of ["primary", "replica"] as const) {
      for (const statement of nonEmpty(keyPolicy(site, role).Statement, `${role} key statement`)) {
        expect({ role, sid: statement.Sid, everyone: includesEveryone(statement) }).toEqual({
          role,
          sid: statement.Sid,
          everyone: false,
        });
      }
    }
  });

  it.each(cases)("conditions every statement for a service principal ($name)", ({ input }) => {
    const site = synthSite(input);
    for (const role of ["primary", "replica"] as const) {
      const services = keyPolicy(site, role).Statement.filter((s) => servicePrincipals(s).length > 0);
      for (const statement of nonEmpty(services, `${role} key statement for a service`)) {
        expect({ role, sid: statement.Sid, condition: statement.Condition }).toEqual({
          role,
          sid: statement.Sid,
          condition: expect.any(Object),
        });
        expect(Object.keys(statement.Condition ?? {}).length).toBeGreaterThan(0);
      }
    }
  });
});
