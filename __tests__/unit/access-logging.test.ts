import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import type { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { normalizeStatement } from "../../src/common/policy";
import { parsePolicy, statementOf } from "./helpers/policy-json";
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

/** Each logged bucket, the log bucket of its region and its prefix. */
const LOGGED = [
  {
    role: "primary",
    provider: "aws.primary",
    prefix: "primary/",
    logInfix: "logs",
    source: (s: SiteStorageStack) => s.primaryBucket,
    target: (s: SiteStorageStack) => s.primaryLogBucket,
  },
  {
    role: "replica",
    provider: "aws.replica",
    prefix: "replica/",
    logInfix: "replica-logs",
    source: (s: SiteStorageStack) => s.replicaBucket,
    target: (s: SiteStorageStack) => s.replicaLogBucket,
  },
] as const;

describe("server access logging", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it.each(LOGGED)(
    "sends the $role bucket's logs to the log bucket of its own region, under $prefix",
    ({ provider, prefix, source, target }) => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketLoggingA, {
        provider,
        bucket: refOf(site, source(site.stack).bucket, "id"),
        target_bucket: refOf(site, target(site.stack).bucket, "id"),
        target_prefix: prefix,
      });
      // The log bucket lives where the logged bucket does: S3 delivers logs only within a region.
      expect(blockOf(site, target(site.stack).bucket).provider).toBe(provider);
    },
  );

  it("gives each logged bucket its own prefix", () => {
    const prefixes = Object.values(resourcesOfType(site, S3BucketLoggingA.tfResourceType)).map((l) => l.target_prefix);
    expect(prefixes.sort()).toEqual(["primary/", "replica/"]);
  });

  it("logs exactly the primary and replica buckets: no log bucket logs, to itself or elsewhere", () => {
    const logged = Object.values(resourcesOfType(site, S3BucketLoggingA.tfResourceType))
      .map((l) => l.bucket)
      .sort();
    expect(logged).toEqual(
      [refOf(site, site.stack.primaryBucket.bucket, "id"), refOf(site, site.stack.replicaBucket.bucket, "id")].sort(),
    );
    expect(site.stack.primaryLogBucket.logging).toBeUndefined();
    expect(site.stack.replicaLogBucket.logging).toBeUndefined();
  });

  it.each(LOGGED)(
    "enables the $role bucket's logging only after its log bucket's policy allows delivery",
    ({ source, target }) => {
      const logging = source(site.stack).logging;
      if (logging === undefined) throw new Error("the bucket has no access logging");
      expect(blockOf(site, logging).depends_on).toEqual([addressOf(site, target(site.stack).policy)]);
    },
  );

  it.each(LOGGED)(
    "lets S3 log delivery put objects in the $role log bucket only under $prefix, only for the $role bucket",
    ({ role, prefix, logInfix, target }) => {
      const { account } = accountFacts(site);
      const logBucketArn = bucketArnOf(site, `portfolio-site-${logInfix}-${account}`);
      const policy = parsePolicy(blockOf(site, target(site.stack).policy).policy);
      expect(statementOf(policy, "AllowServerAccessLogDelivery")).toEqual(
        normalizeStatement({
          Sid: "AllowServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${logBucketArn}/${prefix}*`,
          Condition: {
            ArnLike: { "aws:SourceArn": bucketArnOf(site, `portfolio-site-${role}-${account}`) },
            StringEquals: { "aws:SourceAccount": account },
          },
        }),
      );
    },
  );

  it.each(LOGGED)(
    "keeps every deny in the $role log bucket's policy to the TLS rules, which log delivery meets",
    ({ target }) => {
      const policy = parsePolicy(blockOf(site, target(site.stack).policy).policy);
      expect(policy.Statement.filter((s) => s.Effect === "Deny").map((s) => s.Condition)).toEqual([
        { Bool: { "aws:SecureTransport": ["false"] } },
        { NumericLessThan: { "s3:TlsVersion": ["1.2"] } },
      ]);
    },
  );

  it.each(LOGGED)("gives the $role site bucket no log-delivery grant of its own", ({ source }) => {
    const policy = parsePolicy(blockOf(site, source(site.stack).policy).policy);
    expect(policy.Statement.map((s) => s.Sid)).not.toContain("AllowServerAccessLogDelivery");
  });
});
