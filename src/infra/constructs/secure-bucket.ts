import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { LogSource, bucketPolicyFor } from "../policies/bucket-policy";
import { bucketArn } from "../../common/arn";
import { renderPolicy } from "../policies/document";
import { PropError, literalRegion, regionsDiffer } from "./prop-error";
import { RegionalKey } from "./regional-key";

/** Default encryption of a bucket. */
export type BucketEncryption =
  /**
   * SSE-KMS with this key, which must be of the bucket's region (S3 rejects a default-encryption
   * key of another region), and the S3 Bucket Key (one KMS call per bucket key, not per object).
   */
  | { readonly kind: "kms"; readonly key: RegionalKey }
  /**
   * SSE-S3 (AES-256). Only for server access log buckets: S3 log delivery cannot write to a
   * bucket whose default encryption is SSE-KMS.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
   */
  | { readonly kind: "s3-managed" };

/** Where this bucket's server access logs go. */
export interface AccessLogTarget {
  /** The log bucket; it must be in the same region as this bucket (an S3 rule). */
  readonly bucket: SecureBucket;
  /** Key prefix of this bucket's logs, ending in "/". */
  readonly prefix: string;
}

/** Props of {@link SecureBucket}. */
export interface SecureBucketProps {
  /** Provider of the bucket's region. Every part of the bucket uses it. */
  readonly provider: AwsProvider;
  /** The bucket name (global: include the account id). */
  readonly bucketName: string;
  /** Partition, read from AWS; for the ARNs in the bucket policy. */
  readonly partition: string;
  /** Account id, read from AWS; for the confused-deputy conditions in the bucket policy. */
  readonly accountId: string;
  /** Default encryption. A `kms` key must be of the bucket's region; a log bucket must be `s3-managed`. */
  readonly encryption: BucketEncryption;
  /** Lifecycle rules. Applied after versioning is enabled (rules on noncurrent versions need it). */
  readonly lifecycleRules: S3BucketLifecycleConfigurationRule[];
  /**
   * Send server access logs here. The log bucket must be of this bucket's region.
   * @default no access logging (only log buckets themselves: a log bucket never logs to itself)
   */
  readonly accessLogs?: AccessLogTarget;
  /**
   * Let CloudFront (Origin Access Control) of this distribution read objects.
   * @default no CloudFront grant
   */
  readonly cloudfrontDistributionArn?: string;
  /**
   * This bucket receives the server access logs of that source: the policy lets S3 log delivery
   * write under its prefix. Set on log buckets; `encryption` must then be `s3-managed`.
   * @default receives no logs
   */
  readonly receivesLogsFrom?: LogSource;
  /**
   * Terraform `prevent_destroy` on the bucket: no plan may delete or replace it.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A private, versioned, encrypted, TLS-only S3 bucket. Creates the bucket (`force_destroy` off)
 * and, each through the same provider: ownership controls (BucketOwnerEnforced: ACLs off),
 * a public access block with all four flags, versioning, default encryption, a bucket policy
 * (TLS-only, plus the grants asked for), a lifecycle configuration and, when asked, access
 * logging.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly ownershipControls: S3BucketOwnershipControls;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly policy: S3BucketPolicy;
  /** The S3 lifecycle configuration (its rules), not Terraform's `lifecycle` meta-argument. */
  readonly lifecycleConfiguration: S3BucketLifecycleConfiguration;
  readonly logging?: S3BucketLoggingA;
  /** The name, known at synth from its parts (not the bucket's computed attribute). */
  readonly bucketName: string;
  /** The ARN, built from the partition and name so it is known at plan time. */
  readonly arn: string;
  /** The provider (region) the bucket lives in. */
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.validateProps(props);
    const provider = props.provider;
    this.provider = provider;
    this.bucketName = props.bucketName;
    this.arn = bucketArn(props.partition, props.bucketName);

    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const bucket = this.bucket.id;

    this.ownershipControls = new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [
        props.encryption.kind === "kms"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.key.arn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: renderPolicy(
        bucketPolicyFor({
          partition: props.partition,
          accountId: props.accountId,
          bucketName: props.bucketName,
          cloudfrontDistributionArn: props.cloudfrontDistributionArn,
          logSource: props.receivesLogsFrom,
        }),
      ),
      // S3 answers 409 OperationAborted to a policy put racing the public access block put.
      dependsOn: [this.publicAccessBlock],
    });
    this.lifecycleConfiguration = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: props.lifecycleRules,
      dependsOn: [this.versioning],
    });
    if (props.accessLogs !== undefined) {
      this.logging = new S3BucketLoggingA(this, "logging", {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucket.bucket.id,
        targetPrefix: props.accessLogs.prefix,
        // Delivery is allowed by the log bucket's policy: wait for it.
        dependsOn: [props.accessLogs.bucket.policy],
      });
    }
  }

  /** Validates the invariants the props document, before any resource exists. */
  private validateProps(props: SecureBucketProps): void {
    const region = literalRegion(props.provider);
    if (props.encryption.kind === "kms") {
      const keyRegion = literalRegion(props.encryption.key.provider);
      if (regionsDiffer(keyRegion, region)) {
        throw new PropError(
          this,
          "encryption.key",
          props.encryption.key.node.path,
          `must be a key of the bucket's region ${region}, not ${keyRegion}: S3 rejects a default-encryption key of another region`,
        );
      }
    }
    if (props.receivesLogsFrom !== undefined && props.encryption.kind !== "s3-managed") {
      throw new PropError(
        this,
        "encryption.kind",
        props.encryption.kind,
        'must be "s3-managed" on a bucket that receives server access logs: S3 log delivery cannot write to an SSE-KMS bucket',
      );
    }
    if (props.accessLogs !== undefined) {
      const targetRegion = literalRegion(props.accessLogs.bucket.provider);
      if (regionsDiffer(targetRegion, region)) {
        throw new PropError(
          this,
          "accessLogs.bucket",
          props.accessLogs.bucket.bucketName,
          `must be in the bucket's region ${region}, not ${targetRegion}: S3 delivers access logs only within a region`,
        );
      }
    }
  }
}
