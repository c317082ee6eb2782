/**
 * Where the site stack deliberately differs from a rule of the pack, and why: suppressions with
 * their reasons, kept beside the stack that makes the choice. Each shows as `suppressed`, with its
 * reason, in `npm run check`; a suppression that no longer matches a finding fails synth.
 */
import { IConstruct } from "constructs";
import { RuleSuppression, suppressRules } from "../../rules/suppressions";

/** The CloudFront controls the CDN stage leaves out on purpose, with the reasons. */
export const CDN_DIFFERENCES: readonly RuleSuppression[] = [
  {
    id: "SITE-CF-007",
    reason:
      "AWS WAF is billed per web ACL, rule and request, and a static site of public pages needs none by default: it is the owner's choice. " +
      "To attach one, create an aws_wafv2_web_acl with scope CLOUDFRONT through a us-east-1 provider, set web_acl_id to its ARN on the distribution, and remove this suppression.",
  },
  {
    id: "SITE-CF-008",
    reason:
      "The site is served from one bucket: the replica bucket exists for durability (Cross-Region Replication) and is not an origin, " +
      "so an origin group would need a second origin access control and key and bucket grants for a copy that is not meant to serve.",
  },
  {
    id: "SITE-CF-009",
    reason:
      "Standard logging (legacy) needs an S3 bucket with ACLs enabled, which object ownership BucketOwnerEnforced forbids on every bucket of this stack " +
      "(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html); the primary bucket's server access logs record every read CloudFront makes.",
  },
];

/** Suppresses the CloudFront controls the CDN stage leaves out, on the distribution's construct. */
export function suppressCdnDifferences(distribution: IConstruct): void {
  suppressRules(distribution, CDN_DIFFERENCES);
}

/**
 * With `cdn.enabled: false` and no `cloudfrontDistributionArn`, no distribution is known: the
 * origin key lets any distribution of the account decrypt (`StringLike` `distribution/*`) until
 * the owner names theirs.
 */
export function suppressUnpinnedCloudFrontGrant(key: IConstruct): void {
  suppressRules(key, [
    {
      id: "SITE-CF-006",
      reason:
        "No distribution is declared or named (cdn.enabled is false and cloudfrontDistributionArn is unset), so the key can only be limited to this account's distributions; " +
        "set cloudfrontDistributionArn to pin it to one.",
    },
  ]);
}
