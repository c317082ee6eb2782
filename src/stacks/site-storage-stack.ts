import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Settings } from "../config/schema";
import { bucketNames, keyAliases } from "../config/names";
import { AccountIdentity } from "../constructs/account-identity";
import { logLifecycleRules, siteLifecycleRules } from "../constructs/lifecycle-rules";
import { RegionalKey } from "../constructs/regional-key";
import { ReplicationLink } from "../constructs/replication-link";
import { SecureBucket } from "../constructs/secure-bucket";
import { keyPolicyFor } from "../policies/key-policy";

/** Log key prefixes in the log buckets, one per logged bucket. */
export const ACCESS_LOG_PREFIXES = { primary: "primary/", replica: "replica/" } as const;

/**
 * The storage and encryption layer of the static site, in two regions:
 * - primary region: the site bucket (CloudFront origin), its KMS key, its access-log bucket;
 * - replica region: the replica bucket (CRR target), its KMS key, its access-log bucket;
 * - a replication link primary → replica.
 * Every resource names its provider; nothing in one region references the other region's key,
 * except the replication destination, where AWS requires it.
 */
export class SiteStorageStack extends TerraformStack {
  readonly primaryProvider: AwsProvider;
  readonly replicaProvider: AwsProvider;
  readonly identity: AccountIdentity;
  readonly primaryKey: RegionalKey;
  readonly replicaKey: RegionalKey;
  readonly primaryBucket: SecureBucket;
  readonly replicaBucket: SecureBucket;
  readonly primaryLogBucket: SecureBucket;
  readonly replicaLogBucket: SecureBucket;
  readonly replication: ReplicationLink;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    const defaultTags = [{ tags: { Project: settings.project, ManagedBy: "cdktf", ...settings.tags } }];
    this.primaryProvider = new AwsProvider(this, "primary", {
      alias: "primary", region: settings.primaryRegion, defaultTags,
    });
    this.replicaProvider = new AwsProvider(this, "replica", {
      alias: "replica", region: settings.replicaRegion, defaultTags,
    });

    this.identity = new AccountIdentity(this, "account", { provider: this.primaryProvider });
    const { accountId, partition, dnsSuffix } = this.identity;
    const names = bucketNames(settings.project, accountId);
    const aliases = keyAliases(settings.project);
    const preventDestroy = settings.protectData;

    this.primaryKey = new RegionalKey(this, "primary-key", {
      provider: this.primaryProvider,
      aliasName: aliases.primary,
      description: `S3 encryption key for ${settings.project} primary bucket`,
      deletionWindowInDays: settings.kmsDeletionWindowDays,
      policy: keyPolicyFor({
        partition, accountId, allowCloudFront: true,
        cloudfrontDistributionArn: settings.cloudfrontDistributionArn,
      }),
      preventDestroy,
    });
    this.replicaKey = new RegionalKey(this, "replica-key", {
      provider: this.replicaProvider,
      aliasName: aliases.replica,
      description: `S3 encryption key for ${settings.project} replica bucket`,
      deletionWindowInDays: settings.kmsDeletionWindowDays,
      // CloudFront never reads the replica: no CloudFront statement.
      policy: keyPolicyFor({ partition, accountId, allowCloudFront: false }),
      preventDestroy,
    });

    const logRules = logLifecycleRules(settings.logging.retentionDays, settings.lifecycle.abortIncompleteMultipartUploadDays);
    const siteRules = siteLifecycleRules(settings.lifecycle);

    // S3 delivers access logs only to a bucket of the logged bucket's region: one log bucket per region.
    this.primaryLogBucket = new SecureBucket(this, "primary-log-bucket", {
      provider: this.primaryProvider, bucketName: names.primaryLogs, partition, accountId,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logRules,
      receivesLogsFrom: { bucketName: names.primary, prefix: ACCESS_LOG_PREFIXES.primary },
      preventDestroy,
    });
    this.replicaLogBucket = new SecureBucket(this, "replica-log-bucket", {
      provider: this.replicaProvider, bucketName: names.replicaLogs, partition, accountId,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logRules,
      receivesLogsFrom: { bucketName: names.replica, prefix: ACCESS_LOG_PREFIXES.replica },
      preventDestroy,
    });

    this.primaryBucket = new SecureBucket(this, "primary-bucket", {
      provider: this.primaryProvider, bucketName: names.primary, partition, accountId,
      encryption: { kind: "kms", keyArn: this.primaryKey.arn },
      lifecycleRules: siteRules,
      accessLogs: { bucket: this.primaryLogBucket, prefix: ACCESS_LOG_PREFIXES.primary },
      cloudfrontDistributionArn: settings.cloudfrontDistributionArn,
      preventDestroy,
    });
    this.replicaBucket = new SecureBucket(this, "replica-bucket", {
      provider: this.replicaProvider, bucketName: names.replica, partition, accountId,
      encryption: { kind: "kms", keyArn: this.replicaKey.arn },
      lifecycleRules: siteRules,
      accessLogs: { bucket: this.replicaLogBucket, prefix: ACCESS_LOG_PREFIXES.replica },
      preventDestroy,
    });

    this.replication = new ReplicationLink(this, "replication", {
      source: { bucket: this.primaryBucket, region: settings.primaryRegion, key: this.primaryKey },
      destination: { bucket: this.replicaBucket, region: settings.replicaRegion, key: this.replicaKey },
      partition, accountId, dnsSuffix,
      storageClass: settings.replication.storageClass,
      replicationTimeControl: settings.replication.replicationTimeControl,
    });

    this.addOutputs(settings);
  }

  private addOutputs(settings: Settings): void {
    const outputs: Record<string, { value: string; description: string }> = {
      account_id: { value: this.identity.accountId, description: "AWS account the stack is deployed in" },
      primary_region: { value: settings.primaryRegion, description: "Region of the primary bucket and key" },
      replica_region: { value: settings.replicaRegion, description: "Region of the replica bucket and key" },
      primary_bucket_name: { value: this.primaryBucket.bucket.bucket, description: "CloudFront origin bucket" },
      primary_bucket_arn: { value: this.primaryBucket.bucket.arn, description: "ARN of the primary bucket" },
      replica_bucket_name: { value: this.replicaBucket.bucket.bucket, description: "Replication target bucket" },
      replica_bucket_arn: { value: this.replicaBucket.bucket.arn, description: "ARN of the replica bucket" },
      primary_log_bucket_name: { value: this.primaryLogBucket.bucket.bucket, description: "Access logs of the primary bucket" },
      replica_log_bucket_name: { value: this.replicaLogBucket.bucket.bucket, description: "Access logs of the replica bucket" },
      primary_key_arn: { value: this.primaryKey.arn, description: "KMS key of the primary region" },
      primary_key_alias: { value: this.primaryKey.alias.name, description: "Alias of the primary key" },
      replica_key_arn: { value: this.replicaKey.arn, description: "KMS key of the replica region" },
      replica_key_alias: { value: this.replicaKey.alias.name, description: "Alias of the replica key" },
      replication_role_arn: { value: this.replication.role.arn, description: "IAM role S3 assumes to replicate" },
    };
    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(this, name, output).overrideLogicalId(name);
    }
  }
}
