import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  S3BucketReplicationConfigurationA,
  S3BucketReplicationConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { renderPolicy } from "../policies/document";
import { replicationPermissionsPolicy, replicationTrustPolicy } from "../policies/replication-role";
import { PropError, literalRegion, regionsDiffer } from "./prop-error";
import { RegionalKey } from "./regional-key";
import { SecureBucket } from "./secure-bucket";

/** One end of the link: a bucket, its region and the key of that region. */
export interface ReplicationEnd {
  /** The bucket; its provider must be of `region`. */
  readonly bucket: SecureBucket;
  /** The region of this end, as in `kms:ViaService` (`s3.<region>.<dns suffix>`). */
  readonly region: string;
  /** The key encrypting this end; must be of `region`. */
  readonly key: RegionalKey;
}

/** What the replication rule says, apart from the two ends. */
export interface ReplicationRuleOptions {
  /**
   * Storage class of the replicas.
   * @default "STANDARD"
   */
  readonly storageClass?: string;
  /**
   * S3 Replication Time Control: 15-minute replication SLA, with replication metrics (billed).
   * @default false
   */
  readonly replicationTimeControl?: boolean;
}

/** Props of {@link ReplicationLink}. */
export interface ReplicationLinkProps extends ReplicationRuleOptions {
  readonly source: ReplicationEnd;
  readonly destination: ReplicationEnd;
  readonly partition: string;
  readonly accountId: string;
  readonly dnsSuffix: string;
  /** The replication role's name: fixed, so other policies can name exactly this role. */
  readonly roleName: string;
  /**
   * ARN of a managed policy set as the role's permissions boundary. Required when someone other
   * than an administrator manages the role (the CI's apply role), so that no inline policy it
   * writes can give the role more than replication (see `replicationBoundaryPolicy`).
   * @default no permissions boundary
   */
  readonly permissionsBoundaryArn?: string;
}

/** RTC's fixed SLA: S3 accepts only 15 minutes for both the time and the metrics threshold. */
const RTC_MINUTES = 15;

/**
 * The one replication rule: every object (`filter {}`; `prefix = ""` gives an inconsistent
 * plan), delete markers too, SSE-KMS objects selected (S3 skips them unless asked), replicas
 * encrypted with the destination-region key given by ARN (an alias would be resolved in the
 * caller's account: https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html).
 * With RTC on, both `replication_time` and `metrics` are set, as S3 requires.
 */
export function renderReplicationRule(
  destinationBucketArn: string,
  destinationKeyArn: string,
  options: ReplicationRuleOptions,
): S3BucketReplicationConfigurationRule {
  const rtc = options.replicationTimeControl ?? false;
  return {
    id: "replicate-everything",
    status: "Enabled",
    filter: {},
    deleteMarkerReplication: { status: "Enabled" },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
      bucket: destinationBucketArn,
      storageClass: options.storageClass ?? "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: destinationKeyArn },
      ...(rtc
        ? {
            replicationTime: { status: "Enabled", time: { minutes: RTC_MINUTES } },
            metrics: { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } },
          }
        : {}),
    },
  };
}

/**
 * Cross-Region Replication from `source` to `destination`. Creates an IAM role only S3 can
 * assume for the source bucket, its least-privilege inline policy, and the replication
 * configuration on the source bucket (through the source's provider), applied only once
 * versioning is on at both ends: S3 refuses the configuration otherwise ("Destination bucket
 * must have versioning enabled").
 */
export class ReplicationLink extends Construct {
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: ReplicationLinkProps) {
    super(scope, id);
    const { source, destination } = props;
    this.validateEnd("source", source);
    this.validateEnd("destination", destination);
    const policyProps = {
      partition: props.partition,
      accountId: props.accountId,
      dnsSuffix: props.dnsSuffix,
      sourceBucketName: source.bucket.bucketName,
      sourceRegion: source.region,
      sourceKeyArn: source.key.arn,
      destinationBucketName: destination.bucket.bucketName,
      destinationRegion: destination.region,
      destinationKeyArn: destination.key.arn,
    };
    // IAM is global; the role is declared through the source's provider like the rest of the link.
    this.role = new IamRole(this, "role", {
      provider: source.bucket.provider,
      name: props.roleName,
      permissionsBoundary: props.permissionsBoundaryArn,
      description: `S3 replication from ${source.bucket.bucketName} to ${destination.bucket.bucketName}`,
      assumeRolePolicy: renderPolicy(replicationTrustPolicy(policyProps)),
    });
    this.rolePolicy = new IamRolePolicy(this, "policy", {
      provider: source.bucket.provider,
      name: "replicate-to-destination",
      role: this.role.id,
      policy: renderPolicy(replicationPermissionsPolicy(policyProps)),
    });
    this.configuration = new S3BucketReplicationConfigurationA(this, "configuration", {
      provider: source.bucket.provider,
      bucket: source.bucket.bucket.id,
      role: this.role.arn,
      rule: [renderReplicationRule(destination.bucket.arn, destination.key.arn, props)],
      dependsOn: [source.bucket.versioning, destination.bucket.versioning, this.rolePolicy],
    });
  }

  /** An end's bucket and key must both be of the end's region. */
  private validateEnd(name: "source" | "destination", end: ReplicationEnd): void {
    for (const [part, region] of [
      ["bucket", literalRegion(end.bucket.provider)],
      ["key", literalRegion(end.key.provider)],
    ] as const) {
      if (regionsDiffer(region, end.region)) {
        throw new PropError(this, `${name}.${part}`, region, `must be of ${name}.region ${end.region}`);
      }
    }
  }
}
