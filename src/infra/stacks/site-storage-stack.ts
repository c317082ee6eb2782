import { Construct } from "constructs";
import { managedPolicyArn } from "../../common/arn";
import { Lazy, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Settings } from "../../config/schema";
import { defaultTags } from "../../config/tags";
import { configureBackend } from "./backend";
import { suppressCdnDifferences, suppressUnpinnedCloudFrontGrant } from "./site-rule-suppressions";
import { requireTerraformVersion } from "./terraform-version";
import { bucketNames, iamNames, keyAliases } from "../../config/names";
import { AccountIdentity } from "../constructs/account-identity";
import { logLifecycleRules, siteLifecycleRules } from "../constructs/lifecycle-rules";
import { RegionalKey } from "../constructs/regional-key";
import { ReplicationLink } from "../constructs/replication-link";
import { SecureBucket } from "../constructs/secure-bucket";
import { SiteCdn } from "../constructs/site-cdn";
import { keyPolicyFor } from "../policies/key-policy";

/** The two regions of the site. */
type SiteRegion = "primary" | "replica";

/** Log key prefixes in the log buckets, one per logged bucket. */
const ACCESS_LOG_PREFIXES = { primary: "primary/", replica: "replica/" } as const;

/**
 * The storage and encryption layer of the static site, in two regions:
 * - primary region: the site bucket (CloudFront origin), its KMS key, its access-log bucket;
 * - replica region: the replica bucket (CRR target), its KMS key, its access-log bucket;
 * - a replication link primary → replica;
 * - unless `cdn.enabled` is false, the CDN stage (`SiteCdn`): a CloudFront distribution in front of
 *   the primary bucket, which the primary key and bucket policies grant, and only it.
 * Every resource names its provider; nothing in one region references the other region's key,
 * except the replication destination, where AWS requires it. Its state lives where
 * `settings.backend` says (see `configureBackend`).
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
  /** The distribution in front of the primary bucket; undefined with `cdn.enabled: false`. */
  readonly cdn?: SiteCdn;
  /**
   * The distribution the primary key and bucket policies let CloudFront serve for: the stack's
   * own (resolved at synth, once it exists), else `cloudfrontDistributionArn`, else none.
   */
  private readonly cloudFrontGrant?: string;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    requireTerraformVersion(this);
    configureBackend(this, settings);
    const tags = [{ tags: defaultTags(settings) }];
    this.primaryProvider = new AwsProvider(this, "primary", {
      alias: "primary",
      region: settings.primaryRegion,
      defaultTags: tags,
    });
    this.replicaProvider = new AwsProvider(this, "replica", {
      alias: "replica",
      region: settings.replicaRegion,
      defaultTags: tags,
    });
    this.identity = new AccountIdentity(this, "account", { provider: this.primaryProvider });
    // The policies pinned to the distribution are declared before it (it needs the bucket, the
    // bucket the key); they name it lazily, and Terraform creates it before them.
    this.cloudFrontGrant = settings.cdn.enabled
      ? Lazy.stringValue({ produce: () => (this.cdn as SiteCdn).distributionArn })
      : settings.cloudfrontDistributionArn;

    this.primaryKey = this.key("primary", settings);
    this.replicaKey = this.key("replica", settings);
    this.primaryLogBucket = this.logBucket("primary", settings);
    this.replicaLogBucket = this.logBucket("replica", settings);
    this.primaryBucket = this.siteBucket("primary", settings);
    this.replicaBucket = this.siteBucket("replica", settings);

    const { accountId, partition, dnsSuffix } = this.identity;
    this.replication = new ReplicationLink(this, "replication", {
      source: { bucket: this.primaryBucket, region: settings.primaryRegion, key: this.primaryKey },
      destination: { bucket: this.replicaBucket, region: settings.replicaRegion, key: this.replicaKey },
      partition,
      accountId,
      dnsSuffix,
      roleName: iamNames(settings.project).replicationRole,
      // When the CI's apply role manages the replication role, site-ci caps it with this boundary.
      permissionsBoundaryArn:
        settings.ci === undefined
          ? undefined
          : managedPolicyArn(partition, accountId, iamNames(settings.project).replicationBoundary),
      storageClass: settings.replication.storageClass,
      replicationTimeControl: settings.replication.replicationTimeControl,
    });
    if (settings.cdn.enabled) {
      this.cdn = new SiteCdn(this, "cdn", {
        provider: this.primaryProvider,
        defaultTags: tags,
        origin: this.primaryBucket,
        settings: settings.cdn,
        project: settings.project,
        partition,
        accountId,
      });
      suppressCdnDifferences(this.cdn.distribution);
    } else if (settings.cloudfrontDistributionArn === undefined) {
      suppressUnpinnedCloudFrontGrant(this.primaryKey);
    }

    this.addOutputs(settings);
  }

  /** The provider of one region of the site. */
  private providerOf(region: SiteRegion): AwsProvider {
    return region === "primary" ? this.primaryProvider : this.replicaProvider;
  }

  /**
   * The key of one region. Only the primary key (the CloudFront origin's) lets CloudFront
   * decrypt; CloudFront never reads the replica.
   */
  private key(region: SiteRegion, settings: Settings): RegionalKey {
    const { accountId, partition } = this.identity;
    return new RegionalKey(this, `${region}-key`, {
      provider: this.providerOf(region),
      aliasName: keyAliases(settings.project)[region],
      description: `S3 encryption key for ${settings.project} ${region} bucket`,
      deletionWindowInDays: settings.kmsDeletionWindowDays,
      policy:
        region === "primary"
          ? keyPolicyFor({
              partition,
              accountId,
              allowCloudFront: true,
              cloudfrontDistributionArn: this.cloudFrontGrant,
            })
          : keyPolicyFor({ partition, accountId, allowCloudFront: false }),
      preventDestroy: settings.protectData,
    });
  }

  /** The access-log bucket of one region: S3 delivers access logs only within a region. */
  private logBucket(region: SiteRegion, settings: Settings): SecureBucket {
    const { accountId, partition } = this.identity;
    const names = bucketNames(settings.project, accountId);
    return new SecureBucket(this, `${region}-log-bucket`, {
      provider: this.providerOf(region),
      bucketName: region === "primary" ? names.primaryLogs : names.replicaLogs,
      partition,
      accountId,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logLifecycleRules(
        settings.logging.retentionDays,
        settings.lifecycle.abortIncompleteMultipartUploadDays,
      ),
      receivesLogsFrom: { bucketName: names[region], prefix: ACCESS_LOG_PREFIXES[region] },
      preventDestroy: settings.protectData,
    });
  }

  /** The site bucket of one region, encrypted with that region's key and logged in that region. */
  private siteBucket(region: SiteRegion, settings: Settings): SecureBucket {
    const { accountId, partition } = this.identity;
    return new SecureBucket(this, `${region}-bucket`, {
      provider: this.providerOf(region),
      bucketName: bucketNames(settings.project, accountId)[region],
      partition,
      accountId,
      encryption: { kind: "kms", key: region === "primary" ? this.primaryKey : this.replicaKey },
      lifecycleRules: siteLifecycleRules(settings.lifecycle),
      accessLogs: {
        bucket: region === "primary" ? this.primaryLogBucket : this.replicaLogBucket,
        prefix: ACCESS_LOG_PREFIXES[region],
      },
      // CloudFront reads the primary only.
      cloudfrontDistributionArn: region === "primary" ? this.cloudFrontGrant : undefined,
      preventDestroy: settings.protectData,
    });
  }

  /** The distribution's id, ARN and domain name, and the custom names when there are any. */
  private cdnOutputs(cdn: SiteCdn, settings: Settings): Record<string, { value: string; description: string }> {
    const { distribution } = cdn.distribution;
    const outputs: Record<string, { value: string; description: string }> = {
      cdn_distribution_id: {
        value: distribution.id,
        description: "The CloudFront distribution (invalidations name it)",
      },
      cdn_distribution_arn: { value: cdn.distributionArn, description: "The distribution the key and bucket grant" },
      cdn_domain_name: {
        value: distribution.domainName,
        description: "The distribution's own name (*.cloudfront.net)",
      },
    };
    if (settings.cdn.domainNames !== undefined) {
      outputs.cdn_custom_domain_names = {
        value: settings.cdn.domainNames.join(","),
        description: "The custom names the distribution serves",
      };
    }
    return outputs;
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
      primary_log_bucket_name: {
        value: this.primaryLogBucket.bucket.bucket,
        description: "Access logs of the primary bucket",
      },
      replica_log_bucket_name: {
        value: this.replicaLogBucket.bucket.bucket,
        description: "Access logs of the replica bucket",
      },
      primary_key_arn: { value: this.primaryKey.arn, description: "KMS key of the primary region" },
      primary_key_alias: { value: this.primaryKey.alias.name, description: "Alias of the primary key" },
      replica_key_arn: { value: this.replicaKey.arn, description: "KMS key of the replica region" },
      replica_key_alias: { value: this.replicaKey.alias.name, description: "Alias of the replica key" },
      replication_role_arn: { value: this.replication.role.arn, description: "IAM role S3 assumes to replicate" },
    };
    if (this.cdn !== undefined) Object.assign(outputs, this.cdnOutputs(this.cdn, settings));
    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(this, name, output).overrideLogicalId(name);
    }
  }
}
