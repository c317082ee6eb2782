// The pure functions that hold the tricky decisions, tested without synthesizing a stack.
import { renderReplicationRule } from "../../src/infra/constructs/replication-link";
import { bucketPolicyFor } from "../../src/infra/policies/bucket-policy";
import { cloudFrontSourceCondition, keyPolicyFor } from "../../src/infra/policies/key-policy";
import { s3EncryptionContext } from "../../src/infra/policies/replication-role";
import { normalizePolicy } from "../../src/common/policy";
import { sidsOf } from "./helpers/policy-json";

const DISTRIBUTION_ARN = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL";
const KEY_ARN = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("cloudFrontSourceCondition", () => {
  it("matches exactly the configured distribution", () => {
    expect(
      cloudFrontSourceCondition({
        partition: "aws",
        accountId: "111122223333",
        allowCloudFront: true,
        cloudfrontDistributionArn: DISTRIBUTION_ARN,
      }),
    ).toEqual({ StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } });
  });

  it("falls back to the distributions of this account, in this partition, when none is configured", () => {
    expect(
      cloudFrontSourceCondition({ partition: "aws-cn", accountId: "111122223333", allowCloudFront: true }),
    ).toEqual({ StringLike: { "AWS:SourceArn": "arn:aws-cn:cloudfront::111122223333:distribution/*" } });
  });
});

describe("keyPolicyFor", () => {
  it("leaves the CloudFront statement out when CloudFront is not allowed, even with a distribution", () => {
    const policy = keyPolicyFor({
      partition: "aws",
      accountId: "111122223333",
      allowCloudFront: false,
      cloudfrontDistributionArn: DISTRIBUTION_ARN,
    });
    expect(sidsOf(normalizePolicy(policy))).toEqual(["AllowAccountRootFullAccess", "AllowS3ReplicationUse"]);
  });
});

describe("bucketPolicyFor", () => {
  const base = { partition: "aws", accountId: "111122223333", bucketName: "portfolio-site-primary-111122223333" };

  it("holds only the two TLS statements for a bucket with no grants", () => {
    expect(sidsOf(normalizePolicy(bucketPolicyFor(base)))).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  it("adds the CloudFront read exactly when a distribution is given", () => {
    expect(sidsOf(normalizePolicy(bucketPolicyFor({ ...base, cloudfrontDistributionArn: DISTRIBUTION_ARN })))).toEqual([
      "AllowCloudFrontOriginAccessControlRead",
      "DenyInsecureTransport",
      "DenyOutdatedTls",
    ]);
  });

  it("adds the log-delivery grant exactly when the bucket receives logs", () => {
    expect(
      sidsOf(normalizePolicy(bucketPolicyFor({ ...base, logSource: { bucketName: "source", prefix: "source/" } }))),
    ).toEqual(["AllowServerAccessLogDelivery", "DenyInsecureTransport", "DenyOutdatedTls"]);
  });
});

describe("s3EncryptionContext", () => {
  it("accepts the bucket ARN (S3 Bucket Key) and the bucket's object ARNs (no Bucket Key), nothing else", () => {
    expect(s3EncryptionContext("aws", "portfolio-site-replica-111122223333")).toEqual([
      "arn:aws:s3:::portfolio-site-replica-111122223333",
      "arn:aws:s3:::portfolio-site-replica-111122223333/*",
    ]);
  });
});

describe("renderReplicationRule", () => {
  const destination = "arn:aws:s3:::portfolio-site-replica-111122223333";

  it("defaults to STANDARD without Replication Time Control", () => {
    expect(renderReplicationRule(destination, KEY_ARN, {}).destination).toEqual({
      bucket: destination,
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: KEY_ARN },
    });
  });

  it("sets both replication time and metrics when Replication Time Control is on, as S3 requires", () => {
    const rule = renderReplicationRule(destination, KEY_ARN, {
      replicationTimeControl: true,
      storageClass: "GLACIER_IR",
    });
    expect(rule.destination).toMatchObject({
      storageClass: "GLACIER_IR",
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
  });

  it("selects every object with an empty filter and replicates delete markers and SSE-KMS objects", () => {
    expect(renderReplicationRule(destination, KEY_ARN, {})).toMatchObject({
      status: "Enabled",
      filter: {},
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    });
  });
});
