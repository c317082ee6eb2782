import { bucketArn, distributionArn, keysInRegion, objectsArn } from "../../common/arn";
import { PolicyDocument, Statement, policyDocument } from "./document";

/**
 * The publish role: exactly what `npm run publish` calls, on the primary bucket, its key through
 * S3, and the distribution in front of it. A role of its own rather than more rights on the
 * apply role: the apply role manages the infrastructure and never touches the site's content
 * (its bucket reads stop short of `s3:GetObject`), so a compromised publish step can rewrite
 * pages but never a key policy, a bucket policy or a role, and the apply step can never rewrite
 * pages. Each job gets the least its own command needs.
 *
 * What publish calls, and the permission each needs
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
 * - `GetCallerIdentity` (the account): no statement. STS allows it to every caller, even under
 *   an explicit deny (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html);
 * - `HeadBucket`: `s3:ListBucket` on the bucket; `ListObjectVersions` (the current version of
 *   every key): `s3:ListBucketVersions` on the bucket;
 * - `HeadObject` and `GetObject` (stored checksums, the manifest), never with a version id:
 *   `s3:GetObject`;
 * - `PutObject`, and the multipart upload of a large file by `@aws-sdk/lib-storage`
 *   (`CreateMultipartUpload`, `UploadPart`, `CompleteMultipartUpload`): `s3:PutObject`. When a
 *   part fails, lib-storage sends `AbortMultipartUpload` (its `leavePartsOnError` is false by
 *   default), which needs `s3:AbortMultipartUpload`; it never lists parts, so
 *   `s3:ListMultipartUploadParts` is not granted
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions);
 * - `DeleteObject` without a version id (a delete marker): `s3:DeleteObject`, never
 *   `s3:DeleteObjectVersion`, so history stays;
 * - the objects are SSE-KMS with the primary key: a PUT needs `kms:GenerateDataKey`, a GET and a
 *   multipart upload `kms:Decrypt`
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms);
 * - `CreateInvalidation` and `GetInvalidation` (`--wait`) on the distribution;
 * - `ListDistributions` when no `cloudfrontDistributionArn` is set (the CDN stage's
 *   distribution is found by its origin): it has no resource type, so `*` is its only resource
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html).
 * No bucket policy call: the policy lift around object writes happens on the emulator only.
 */

/** The distribution the role may invalidate. */
export type PublishDistribution =
  /** `cloudfrontDistributionArn`: the user's own distribution, by its exact ARN. */
  | { readonly arn: string }
  /**
   * The CDN stage's: `site-ci` is deployed before the first `site-storage` deployment creates
   * it, so its id is unknown here; the grant is the account's distributions carrying the
   * project's tag (`aws:ResourceTag` is a condition key of the distribution resource type), as
   * the apply role's CDN statements are.
   */
  | { readonly taggedWith: string };

/** What the publish role's policy names. */
export interface PublishRoleProps {
  readonly partition: string;
  readonly accountId: string;
  /** DNS suffix of the partition ("amazonaws.com"), for `kms:ViaService`. */
  readonly dnsSuffix: string;
  /** The value of the `Project` tag the primary key carries. */
  readonly projectTag: string;
  readonly primaryBucketName: string;
  readonly primaryRegion: string;
  /** The state key: tagged with the project and perhaps in the primary region, so denied by ARN. */
  readonly stateKmsKeyArn: string;
  /** @default no CloudFront statement: nothing to invalidate */
  readonly distribution?: PublishDistribution;
  /** Whether publish must list the distributions to find its own (no `cloudfrontDistributionArn`). */
  readonly listDistributions: boolean;
}

/** Invalidate the distribution and read the invalidation's progress. */
function invalidationStatement(props: PublishRoleProps, distribution: PublishDistribution): Statement {
  const actions = ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"];
  if ("arn" in distribution)
    return { Sid: "InvalidateSiteDistribution", Effect: "Allow", Action: actions, Resource: distribution.arn };
  return {
    Sid: "InvalidateProjectDistributions",
    Effect: "Allow",
    Action: actions,
    Resource: distributionArn(props.partition, props.accountId, "*"),
    Condition: { StringEquals: { "aws:ResourceTag/Project": distribution.taggedWith } },
  };
}

/** The statements of the CloudFront calls publish makes with these settings. */
function cloudFrontStatements(props: PublishRoleProps): Statement[] {
  const statements: Statement[] = [];
  if (props.distribution !== undefined) statements.push(invalidationStatement(props, props.distribution));
  if (props.listDistributions)
    statements.push({
      Sid: "FindSiteDistribution",
      Effect: "Allow",
      Action: "cloudfront:ListDistributions",
      Resource: "*",
    });
  return statements;
}

/** The publish role's permissions: see the module's comment for each call. */
export function publishRolePolicy(props: PublishRoleProps): PolicyDocument {
  const bucket = bucketArn(props.partition, props.primaryBucketName);
  const keyUse = ["kms:GenerateDataKey", "kms:Decrypt"];
  return policyDocument([
    { Sid: "ListPrimaryBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:ListBucketVersions"], Resource: bucket },
    {
      Sid: "WritePrimaryObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: objectsArn(props.partition, props.primaryBucketName),
    },
    {
      // Through S3 in the primary region, for the primary bucket's objects only: with the Bucket
      // Key, S3 sends the bucket's ARN as the encryption context
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
      Sid: "UsePrimaryKeyThroughS3",
      Effect: "Allow",
      Action: keyUse,
      Resource: keysInRegion(props.partition, props.primaryRegion, props.accountId),
      Condition: {
        StringEquals: {
          "aws:ResourceTag/Project": props.projectTag,
          "kms:ViaService": `s3.${props.primaryRegion}.${props.dnsSuffix}`,
          "kms:EncryptionContext:aws:s3:arn": bucket,
        },
      },
    },
    { Sid: "NeverUseStateKey", Effect: "Deny", Action: keyUse, Resource: props.stateKmsKeyArn },
    ...cloudFrontStatements(props),
  ]);
}
