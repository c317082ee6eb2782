/**
 * CloudFront as the rules judge it: a distribution with its origins read, and every resource
 * policy of a bucket or key (where a grant to CloudFront lives), read through the one policy
 * model (`src/common/policy.ts`). Values are given in Terraform syntax (references resolved to
 * `${…}` interpolations) by the caller's `text`, as for the IAM subjects.
 */
import { TerraformResource } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { ReadPolicy, readPolicy } from "../common/policy";
import { inputBlock, inputBlocks } from "./inputs";

/** What an origin's domain name points at. */
export type OriginKind = "s3" | "s3-website" | "other";

/** One origin of a distribution, read. */
export interface DistributionOrigin {
  readonly originId: string;
  /** The domain name in Terraform syntax. */
  readonly domainName: string;
  readonly kind: OriginKind;
  /** `origin_access_control_id`, when set and not empty. */
  readonly originAccessControlId?: string;
  /** `s3_origin_config.origin_access_identity` (the legacy OAI), when set and not empty. */
  readonly originAccessIdentity?: string;
  /** True when the origin has a `custom_origin_config` (CloudFront reaches it as any web server). */
  readonly custom: boolean;
}

/** A CloudFront distribution and its origins. */
export interface DistributionSubject {
  readonly distribution: CloudfrontDistribution;
  /** The origins; undefined when the whole list is a Terraform expression. */
  readonly origins?: readonly DistributionOrigin[];
}

/** A resource policy of a bucket or a key: the place a grant to a service principal lives. */
export interface ResourcePolicySubject {
  /** The bucket policy, the key policy resource, or the key itself when its `policy` argument is set. */
  readonly resource: S3BucketPolicy | KmsKeyPolicy | KmsKey;
  readonly policy: ReadPolicy;
}

/**
 * A reference to an S3 bucket's REST domain name (`${aws_s3_bucket.x.bucket_regional_domain_name}`
 * or `…bucket_domain_name`), or a literal REST endpoint (`<bucket>.s3.<region>.amazonaws.com`,
 * `<bucket>.s3.amazonaws.com`, the China partition's `.amazonaws.com.cn`).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHostingOfBuckets.html
 */
const S3_REST_DOMAIN =
  /^(\$\{aws_s3_bucket\.[^.}]+\.bucket_(regional_)?domain_name\}|.+\.s3(\.dualstack)?(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?)$/;

/**
 * A reference to a website endpoint (`website_endpoint`/`website_domain` of a bucket or its
 * website configuration), or a literal one (`<bucket>.s3-website-<region>…` or
 * `<bucket>.s3-website.<region>…`): S3 static website hosting, which only serves public objects
 * and cannot be reached through origin access control.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
 */
const S3_WEBSITE_DOMAIN =
  /^(\$\{aws_s3_bucket(_website_configuration)?\.[^.}]+\.website_(endpoint|domain)\}|.+\.s3-website[.-].+)$/;

/** What a domain name in Terraform syntax points at. */
export function originKindOf(domainName: string): OriginKind {
  if (S3_WEBSITE_DOMAIN.test(domainName)) return "s3-website";
  if (S3_REST_DOMAIN.test(domainName)) return "s3";
  return "other";
}

/** A non-empty value, else undefined. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The distribution subject of a resource (none when it is no distribution). */
export function distributionSubjectsOf(
  resource: TerraformResource,
  text: (value: unknown) => string | undefined,
): DistributionSubject[] {
  if (!(resource instanceof CloudfrontDistribution)) return [];
  const origins = inputBlocks(resource.originInput)?.map((origin): DistributionOrigin => {
    const domainName = text(origin.domainName) ?? "";
    return {
      originId: text(origin.originId) ?? "",
      domainName,
      kind: originKindOf(domainName),
      originAccessControlId: nonEmpty(text(origin.originAccessControlId)),
      originAccessIdentity: nonEmpty(text(inputBlock(origin.s3OriginConfig)?.originAccessIdentity)),
      custom: origin.customOriginConfig !== undefined,
    };
  });
  return [{ distribution: resource, ...(origins === undefined ? {} : { origins }) }];
}

/** The resource policy subject of a resource: a bucket policy, a key policy, or a key's own `policy`. */
export function resourcePolicySubjectsOf(
  resource: TerraformResource,
  text: (value: unknown) => string | undefined,
): ResourcePolicySubject[] {
  if (resource instanceof S3BucketPolicy || resource instanceof KmsKeyPolicy) {
    return [{ resource, policy: readPolicy(text(resource.policyInput)) }];
  }
  if (resource instanceof KmsKey && resource.policyInput !== undefined) {
    return [{ resource, policy: readPolicy(text(resource.policyInput)) }];
  }
  return [];
}
