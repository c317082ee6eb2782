import { bucketArn, objectsArn } from "../../common/arn";
import { PolicyDocument, Statement, policyDocument } from "./document";

/** Lowest TLS version a request may use (S3.5 recommends denying anything older than 1.2). */
const MINIMUM_TLS_VERSION = "1.2";

/**
 * Everyone, signed in or anonymous, in the object form. IAM's section on anonymous (public)
 * principals shows `"Principal": "*"` and `{ "AWS": "*" }` as equivalent in a resource-based
 * policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous);
 * the TLS statements are Denies meant for every caller, and the IAM evaluator in the unit suite
 * shows they deny the account's own principals too. The object form is used because tools that
 * read policies (moto among them: it crashes on a string principal in a log bucket's policy)
 * expect every principal to be an object.
 */
const EVERYONE = { AWS: "*" };

/**
 * The two TLS statements every bucket carries (AWS Security Hub S3.5):
 * - `DenyInsecureTransport`: any request without TLS (`aws:SecureTransport` false);
 * - `DenyOutdatedTls`: any request over TLS older than 1.2 (`s3:TlsVersion`).
 * Both cover the bucket and its objects, for every principal. Neither blocks S3 log delivery or
 * replication: AWS services call S3 over TLS 1.2+, and a condition key absent from a request
 * makes these conditions false, not true.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function tlsOnlyStatements(partition: string, bucketName: string): Statement[] {
  const resources = [bucketArn(partition, bucketName), objectsArn(partition, bucketName)];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: EVERYONE,
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: EVERYONE,
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": MINIMUM_TLS_VERSION } },
    },
  ];
}

/**
 * CloudFront Origin Access Control reads objects, and only for the one distribution
 * (`AWS:SourceArn`, exact match, no wildcard).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
function cloudFrontReadStatement(partition: string, bucketName: string, distributionArn: string): Statement {
  return {
    Sid: "AllowCloudFrontOriginAccessControlRead",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: objectsArn(partition, bucketName),
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
  };
}

/** One bucket whose server access logs land in a log bucket. */
export interface LogSource {
  /** The logged bucket's name. */
  readonly bucketName: string;
  /** Key prefix its logs are written under, ending in "/". */
  readonly prefix: string;
}

/**
 * S3 log delivery may write objects under the source's prefix only, and only for that source
 * bucket in this account (`aws:SourceArn`, `aws:SourceAccount`): the confused-deputy guard.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
 */
function logDeliveryStatement(
  partition: string,
  accountId: string,
  logBucketName: string,
  source: LogSource,
): Statement {
  return {
    Sid: "AllowServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${bucketArn(partition, logBucketName)}/${source.prefix}*`,
    Condition: {
      ArnLike: { "aws:SourceArn": bucketArn(partition, source.bucketName) },
      StringEquals: { "aws:SourceAccount": accountId },
    },
  };
}

/** What goes into one bucket's policy besides the TLS statements. */
export interface BucketPolicyProps {
  readonly partition: string;
  readonly accountId: string;
  readonly bucketName: string;
  /** Grant this distribution read access (the primary, once a distribution exists). */
  readonly cloudfrontDistributionArn?: string;
  /** Let S3 log delivery write this source's logs (log buckets). */
  readonly logSource?: LogSource;
}

/**
 * A bucket's whole policy: TLS-only always; the CloudFront read grant exactly when a distribution
 * is given; the log-delivery grant exactly when the bucket receives logs.
 */
export function bucketPolicyFor(props: BucketPolicyProps): PolicyDocument {
  const statements = tlsOnlyStatements(props.partition, props.bucketName);
  if (props.cloudfrontDistributionArn !== undefined) {
    statements.push(cloudFrontReadStatement(props.partition, props.bucketName, props.cloudfrontDistributionArn));
  }
  if (props.logSource !== undefined) {
    statements.push(logDeliveryStatement(props.partition, props.accountId, props.bucketName, props.logSource));
  }
  return policyDocument(statements);
}
