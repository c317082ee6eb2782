import { accountRootArn, distributionArn } from "../../common/arn";
import { Conditions, PolicyDocument, Statement, policyDocument } from "./document";

/** What a regional key's policy depends on. */
export interface KeyPolicyProps {
  /** AWS partition, read from AWS. */
  readonly partition: string;
  /** This account's id, read from AWS. */
  readonly accountId: string;
  /**
   * Grant CloudFront `kms:Decrypt` so it can serve SSE-KMS objects through Origin Access Control.
   * Only the key of the CloudFront origin (the primary) needs it.
   */
  readonly allowCloudFront: boolean;
  /**
   * The one distribution allowed to decrypt. Without it CloudFront is limited to distributions of
   * this account (`AWS:SourceArn` like `arn:…:cloudfront::<account>:distribution/*`).
   * Only used when `allowCloudFront` is true.
   */
  readonly cloudfrontDistributionArn?: string;
  /**
   * Let S3 use the key on behalf of this account (replication). A key only used by callers'
   * own IAM permissions through S3 (the Terraform state key) leaves it out.
   * @default true
   */
  readonly allowS3Replication?: boolean;
}

/** S3's use of the key for replication: decrypt at the source, encrypt at the destination. */
const S3_REPLICATION_KEY_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

/** CloudFront only reads: decrypt, and describe the key it decrypts with. */
const CLOUDFRONT_KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey"];

/**
 * The CloudFront condition. With a distribution configured, exactly that distribution; without
 * one, any distribution of this account, never any caller at all (KMS.5, CKV_AWS_33).
 */
export function cloudFrontSourceCondition(props: KeyPolicyProps): Conditions {
  if (props.cloudfrontDistributionArn !== undefined) {
    return { StringEquals: { "AWS:SourceArn": props.cloudfrontDistributionArn } };
  }
  return { StringLike: { "AWS:SourceArn": distributionArn(props.partition, props.accountId, "*") } };
}

/**
 * The key policy of the runbook, statement by statement, tightened:
 * - `AllowAccountRootFullAccess`: the account root keeps `kms:*`, so IAM policies can grant use
 *   and the key can never become unmanageable (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html);
 * - `AllowCloudFrontToDecrypt` (when `allowCloudFront`): decrypt for Origin Access Control,
 *   conditioned on the distribution ARN;
 * - `AllowS3ReplicationUse`: S3 may use the key, but only on behalf of this account
 *   (`aws:SourceAccount`), the confused-deputy guard.
 * `Resource: "*"` in a key policy means "this key".
 */
export function keyPolicyFor(props: KeyPolicyProps): PolicyDocument {
  const statements: Statement[] = [
    {
      Sid: "AllowAccountRootFullAccess",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(props.partition, props.accountId) },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (props.allowCloudFront) {
    statements.push({
      Sid: "AllowCloudFrontToDecrypt",
      Effect: "Allow",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: CLOUDFRONT_KEY_ACTIONS,
      Resource: "*",
      Condition: cloudFrontSourceCondition(props),
    });
  }
  if (props.allowS3Replication === false) return policyDocument(statements);
  statements.push({
    Sid: "AllowS3ReplicationUse",
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: S3_REPLICATION_KEY_ACTIONS,
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
  });
  return policyDocument(statements);
}
