import { z } from "zod";
import { isRecord } from "../common/json";
import { partitionOf } from "./aws-facts";

/**
 * The `cdn` section of the settings: the CloudFront distribution the app declares in front of the
 * primary bucket. Validated like every other section (strict, every problem at once, messages
 * naming the rule); how it relates to other fields is in {@link cdnRelationProblems}.
 */

/**
 * CloudFront price classes: which edge locations serve the site.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html
 */
export const CDN_PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;

/**
 * What the distribution answers when S3 refuses an object (403: without `s3:ListBucket` a
 * missing key is 403, not 404) or does not find it (404):
 * - `static`: `/404.html` with status 404;
 * - `single-page-app`: `/index.html` with status 200, so the app's own router handles the path.
 */
export const CDN_ERROR_MODES = ["static", "single-page-app"] as const;

/** The region CloudFront takes ACM certificates from, whatever the origin's region. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

/** arn:<partition>:acm:<region>:<12-digit account>:certificate/<uuid> */
const CERTIFICATE_ARN = /^arn:(aws|aws-cn|aws-us-gov):acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

/** A Route 53 hosted zone id as the console and API show it (without `/hostedzone/`). */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** One DNS label: 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Every rule a custom domain name breaks (empty when valid). RFC 1035 names, lowercase, no wildcard. */
export function domainNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 253) problems.push(`must be at most 253 characters (it is ${name.length})`);
  const labels = name.split(".");
  if (labels.length < 2) problems.push('must have at least two labels, such as "example.com"');
  if (!labels.every((label) => DNS_LABEL.test(label))) {
    problems.push(
      "must be lowercase labels of 1 to 63 letters, digits and hyphens, separated by dots (no wildcard, no trailing dot)",
    );
  }
  return problems;
}

const domainNames = z
  .array(
    z.string({ invalid_type_error: "must be a DNS name" }).superRefine((name, ctx) => {
      for (const problem of domainNameProblems(name)) ctx.addIssue({ code: "custom", message: problem });
    }),
    { invalid_type_error: 'must be a list of DNS names, such as ["www.example.com"]' },
  )
  .min(1, { message: 'must name at least one domain, such as ["www.example.com"]' })
  .superRefine((names, ctx) => {
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    if (repeated.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `must not repeat a name (repeated: ${[...new Set(repeated)].join(", ")})`,
      });
    }
  });

const certificateArn = z
  .string()
  .regex(CERTIFICATE_ARN, {
    message: "must be an ACM certificate ARN: arn:aws:acm:us-east-1:<12-digit account>:certificate/<id>",
  })
  .refine(
    (arn) => (CERTIFICATE_ARN.exec(arn)?.[2] ?? CLOUDFRONT_CERTIFICATE_REGION) === CLOUDFRONT_CERTIFICATE_REGION,
    {
      message: `must be a certificate in ${CLOUDFRONT_CERTIFICATE_REGION}: CloudFront uses ACM certificates from that region only`,
    },
  );

export const cdnSchema = z
  .object({
    /** Declare the distribution. `false` keeps the storage-only stack (bring your own with `cloudfrontDistributionArn`). */
    enabled: z.boolean({ invalid_type_error: "must be true or false" }).default(true),
    /** Which edge locations serve the site. */
    priceClass: z
      .enum(CDN_PRICE_CLASSES, { errorMap: () => ({ message: `must be one of ${CDN_PRICE_CLASSES.join(", ")}` }) })
      .default("PriceClass_100"),
    /** How 403 and 404 from the origin are answered. */
    errorResponses: z
      .enum(CDN_ERROR_MODES, { errorMap: () => ({ message: `must be one of ${CDN_ERROR_MODES.join(", ")}` }) })
      .default("static"),
    /** Custom domain names (CloudFront aliases); need `certificateArn` or `hostedZoneId`. */
    domainNames: domainNames.optional(),
    /** An existing ACM certificate in us-east-1 covering every name in `domainNames`. */
    certificateArn: certificateArn.optional(),
    /** An existing Route 53 hosted zone of the names: the stack requests, validates and points the names. */
    hostedZoneId: z
      .string()
      .regex(HOSTED_ZONE_ID, { message: 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
      .optional(),
  })
  .strict()
  .superRefine((cdn, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    const ways = [cdn.certificateArn, cdn.hostedZoneId].filter((value) => value !== undefined).length;
    if (cdn.domainNames === undefined) {
      if (cdn.certificateArn !== undefined) issue("certificateArn", "needs cdn.domainNames: the names it covers");
      if (cdn.hostedZoneId !== undefined) issue("hostedZoneId", "needs cdn.domainNames: the names to create in it");
    } else if (ways === 0) {
      issue(
        "domainNames",
        "need either cdn.certificateArn (an existing certificate) or cdn.hostedZoneId (an existing zone to validate a new one in)",
      );
    } else if (ways === 2) {
      issue("hostedZoneId", "must not be set together with cdn.certificateArn: choose one way to get the certificate");
    }
  });

/** The validated `cdn` section. */
export type CdnSettings = z.output<typeof cdnSchema>;

/** Why CloudFront with origin access control cannot be declared in a partition, by partition. */
const UNSUPPORTED_PARTITIONS: Readonly<Record<string, string>> = {
  // https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/setting-up-credentials.html
  "aws-us-gov": "CloudFront is not part of the AWS GovCloud (US) partition (it is set up from a standard account)",
  // https://docs.amazonaws.cn/en_us/aws/latest/userguide/cloudfront.html
  "aws-cn":
    "CloudFront in the China regions cannot serve on its default domain, needs an ICP recordal and an IAM (not ACM) certificate",
};

/**
 * Rules between `cdn` and the other top-level fields, on the raw input (like the schema's
 * `relationProblems`), each only when the fields it relates are valid on their own.
 * `primaryRegion` is the validated primary region, or undefined when it is invalid.
 */
export function cdnRelationProblems(
  raw: Readonly<Record<string, unknown>>,
  primaryRegion: string | undefined,
): { path: string[]; message: string }[] {
  const cdn = isRecord(raw.cdn) ? raw.cdn : {};
  if (cdn.enabled === false || (cdn.enabled !== undefined && typeof cdn.enabled !== "boolean")) return [];
  const problems: { path: string[]; message: string }[] = [];
  if (raw.cloudfrontDistributionArn !== undefined) {
    problems.push({
      path: ["cloudfrontDistributionArn"],
      message:
        "cannot be used while cdn.enabled is true (the default): either the app declares the distribution " +
        "(remove cloudfrontDistributionArn) or you bring your own (set cdn.enabled to false)",
    });
  }
  if (primaryRegion === undefined) return problems;
  const partition = partitionOf(primaryRegion);
  const why = UNSUPPORTED_PARTITIONS[partition];
  if (why !== undefined) {
    problems.push({
      path: ["cdn", "enabled"],
      message: `must be false in partition "${partition}" (primaryRegion "${primaryRegion}"): ${why}`,
    });
  }
  const certificate = typeof cdn.certificateArn === "string" ? CERTIFICATE_ARN.exec(cdn.certificateArn) : null;
  if (certificate !== null && why === undefined && certificate[1] !== partition) {
    problems.push({
      path: ["cdn", "certificateArn"],
      message: `must be a certificate of partition "${partition}", the partition of primaryRegion "${primaryRegion}"`,
    });
  }
  return problems;
}
