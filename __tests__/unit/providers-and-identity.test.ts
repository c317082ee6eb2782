import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Testing } from "cdktf";
import { parseSettings } from "../../src/config/load";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import {
  BUCKET_CASES,
  SiteFixture,
  accountFacts,
  blockOf,
  expectedBucketName,
  refOf,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

describe("the stack", () => {
  it("passes cdktf's construct validations (addValidation checks) with the default settings", () => {
    const stack = new SiteStorageStack(Testing.app(), "site", parseSettings({}));
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe("providers with the default settings", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("declares a provider aliased primary in us-east-1", () => {
    expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, { alias: "primary", region: "us-east-1" });
  });

  it("declares a provider aliased replica in us-west-2", () => {
    expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, { alias: "replica", region: "us-west-2" });
  });

  it("declares exactly these two providers and no unaliased default one", () => {
    expect(site.json.provider.aws.map((p) => p.alias)).toEqual(["primary", "replica"]);
  });

  it("applies the project and ManagedBy tags as default tags of both providers", () => {
    for (const alias of ["primary", "replica"]) {
      expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, {
        alias,
        default_tags: [{ tags: { Project: "portfolio-site", ManagedBy: "cdktf" } }],
      });
    }
  });
});

describe("providers with custom regions and tags", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({
      project: "my-site",
      primaryRegion: "eu-west-1",
      replicaRegion: "eu-central-1",
      tags: { Owner: "web-team", CostCenter: "42" },
    });
  });

  it("puts the primary provider in the configured primary region", () => {
    expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, { alias: "primary", region: "eu-west-1" });
  });

  it("puts the replica provider in the configured replica region", () => {
    expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, { alias: "replica", region: "eu-central-1" });
  });

  it("adds the configured tags to the default tags of both providers", () => {
    const tags = { Project: "my-site", ManagedBy: "cdktf", Owner: "web-team", CostCenter: "42" };
    for (const alias of ["primary", "replica"]) {
      expect(site.synthesized).toHaveProviderWithProperties(AwsProvider, { alias, default_tags: [{ tags }] });
    }
  });

  it.each(BUCKET_CASES)("names the $role bucket after the configured project", (bucket) => {
    expect(blockOf(site, bucket.bucket(site.stack).bucket).bucket).toBe(
      `my-site-${bucket.infix}-${accountFacts(site).account}`,
    );
  });
});

describe("the account identity", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("reads the account id from aws_caller_identity through the primary provider", () => {
    expect(site.synthesized).toHaveDataSource(DataAwsCallerIdentity);
    expect(site.synthesized).toHaveDataSourceWithProperties(DataAwsCallerIdentity, { provider: "aws.primary" });
  });

  it("reads the partition from aws_partition through the primary provider", () => {
    expect(site.synthesized).toHaveDataSource(DataAwsPartition);
    expect(site.synthesized).toHaveDataSourceWithProperties(DataAwsPartition, { provider: "aws.primary" });
  });

  it("never configures an account id by hand: no 12-digit number appears in the stack", () => {
    expect(site.synthesized).not.toMatch(/(?<!\d)\d{12}(?!\d)/);
  });

  it("never hard-codes the partition: every ARN starts with the partition read from AWS", () => {
    const arns = site.synthesized.match(/arn:[^:"\\]*:/g) ?? [];
    expect(arns.length).toBeGreaterThan(0);
    expect(new Set(arns)).toEqual(new Set([`arn:${accountFacts(site).partition}:`]));
  });

  it.each(BUCKET_CASES)("names the $role bucket <project>-$infix-<account id read from AWS>", (bucket) => {
    expect(site.synthesized).toHaveResourceWithProperties(S3Bucket, {
      bucket: expectedBucketName(site, bucket),
      provider: bucket.provider,
    });
    // Literally the caller-identity data source's account_id, not a configured value.
    expect(blockOf(site, bucket.bucket(site.stack).bucket).bucket).toMatch(
      new RegExp(`^portfolio-site-${bucket.infix}-\\$\\{data\\.aws_caller_identity\\.[\\w-]+\\.account_id\\}$`),
    );
  });
});

describe("stack outputs", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({ primaryRegion: "eu-west-1", replicaRegion: "eu-north-1" });
  });

  it("declares the bucket names and ARNs, key ARNs and aliases, regions, account, role and distribution", () => {
    expect(Object.keys(site.json.output).sort()).toEqual([
      "account_id",
      "cdn_distribution_arn",
      "cdn_distribution_id",
      "cdn_domain_name",
      "primary_bucket_arn",
      "primary_bucket_name",
      "primary_key_alias",
      "primary_key_arn",
      "primary_log_bucket_name",
      "primary_region",
      "replica_bucket_arn",
      "replica_bucket_name",
      "replica_key_alias",
      "replica_key_arn",
      "replica_log_bucket_name",
      "replica_region",
      "replication_role_arn",
    ]);
  });

  it("gives every output a description", () => {
    for (const [name, output] of nonEmpty(Object.entries(site.json.output), "output")) {
      expect({ name, description: output.description }).toEqual({ name, description: expect.stringMatching(/\w/) });
    }
  });

  it("reports the configured regions", () => {
    expect(site.json.output.primary_region.value).toBe("eu-west-1");
    expect(site.json.output.replica_region.value).toBe("eu-north-1");
  });

  it("references the resource each output names", () => {
    const { stack } = site;
    const expected: Record<string, string> = {
      account_id: accountFacts(site).account,
      primary_bucket_name: refOf(site, stack.primaryBucket.bucket, "bucket"),
      primary_bucket_arn: refOf(site, stack.primaryBucket.bucket, "arn"),
      replica_bucket_name: refOf(site, stack.replicaBucket.bucket, "bucket"),
      replica_bucket_arn: refOf(site, stack.replicaBucket.bucket, "arn"),
      primary_log_bucket_name: refOf(site, stack.primaryLogBucket.bucket, "bucket"),
      replica_log_bucket_name: refOf(site, stack.replicaLogBucket.bucket, "bucket"),
      primary_key_arn: refOf(site, stack.primaryKey.key, "arn"),
      primary_key_alias: refOf(site, stack.primaryKey.alias, "name"),
      replica_key_arn: refOf(site, stack.replicaKey.key, "arn"),
      replica_key_alias: refOf(site, stack.replicaKey.alias, "name"),
      replication_role_arn: refOf(site, stack.replication.role, "arn"),
    };
    for (const [name, value] of Object.entries(expected)) {
      expect({ name, value: site.json.output[name].value }).toEqual({ name, value });
    }
  });
});
