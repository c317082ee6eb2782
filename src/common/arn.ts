/**
 * Amazon Resource Names: the one place they are built and parsed. Every builder takes the
 * partition (and account, region) as given, often Terraform tokens read from AWS at plan time,
 * never a hard-coded "aws".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  /** Empty for global services (S3 buckets, IAM, CloudFront). */
  readonly region: string;
  /** Empty for S3 buckets. */
  readonly account: string;
  /** Everything after the fifth colon: `key/<id>`, `role/<path><name>`, `<bucket>/<key>`. */
  readonly resource: string;
}

/** Builds an ARN from its parts. */
export function formatArn(parts: ArnParts): string {
  return `arn:${parts.partition}:${parts.service}:${parts.region}:${parts.account}:${parts.resource}`;
}

/**
 * Parses an ARN, or returns undefined when `text` is not one. A part may be a Terraform
 * interpolation (`${data.aws_partition.x.partition}`): it holds no colon, so it splits cleanly.
 */
export function parseArn(text: string): ArnParts | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[2] === "") return undefined;
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(":") };
}

/** An S3 bucket: `arn:<partition>:s3:::<bucket>`. */
export function bucketArn(partition: string, bucketName: string): string {
  return formatArn({ partition, service: "s3", region: "", account: "", resource: bucketName });
}

/** Every object of a bucket: `arn:<partition>:s3:::<bucket>/*`. */
export function objectsArn(partition: string, bucketName: string): string {
  return `${bucketArn(partition, bucketName)}/*`;
}

/** The bucket an S3 bucket or object ARN names, or undefined for any other ARN. */
export function bucketNameOf(arn: string): string | undefined {
  const parts = parseArn(arn);
  if (parts === undefined || parts.service !== "s3" || parts.region !== "" || parts.account !== "") return undefined;
  return parts.resource.split("/")[0] || undefined;
}

/** The root principal of an account: "this account's IAM, as governed by its policies". */
export function accountRootArn(partition: string, accountId: string): string {
  return formatArn({ partition, service: "iam", region: "", account: accountId, resource: "root" });
}

/** An IAM role; `path` starts and ends with "/" (IAM's default is "/"). */
export function roleArn(partition: string, accountId: string, roleName: string, path = "/"): string {
  return formatArn({ partition, service: "iam", region: "", account: accountId, resource: `role${path}${roleName}` });
}

/** A customer-managed IAM policy. */
export function managedPolicyArn(partition: string, accountId: string, policyName: string): string {
  return formatArn({ partition, service: "iam", region: "", account: accountId, resource: `policy/${policyName}` });
}

/** A KMS key by its id; `keyId` `*` names every key of the account in the region. */
export function kmsKeyArn(partition: string, region: string, accountId: string, keyId: string): string {
  return formatArn({ partition, service: "kms", region, account: accountId, resource: `key/${keyId}` });
}

/** Every KMS key of the account in one region: `arn:<partition>:kms:<region>:<account>:key/*`. */
export function keysInRegion(partition: string, region: string, accountId: string): string {
  return kmsKeyArn(partition, region, accountId, "*");
}

/** A KMS alias; `aliasName` includes the `alias/` prefix. */
export function kmsAliasArn(partition: string, region: string, accountId: string, aliasName: string): string {
  return formatArn({ partition, service: "kms", region, account: accountId, resource: aliasName });
}

/** A CloudFront distribution (global: no region); `id` `*` names every distribution of the account. */
export function distributionArn(partition: string, accountId: string, id: string): string {
  return formatArn({
    partition,
    service: "cloudfront",
    region: "",
    account: accountId,
    resource: `distribution/${id}`,
  });
}

/** The region part of an ARN, or undefined when it is not an ARN or names none. */
export function regionOfArn(arn: string): string | undefined {
  return parseArn(arn)?.region || undefined;
}
