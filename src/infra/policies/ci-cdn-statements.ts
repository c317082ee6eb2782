import { formatArn } from "../../common/arn";
import { VerifyCallScope, verifyReadActions } from "../../common/verify-calls";
import { Conditions, Statement } from "./document";

/**
 * What the CI roles may do with the CDN stage. Creating the distribution, its origin access
 * control and a requested certificate is an administrator's act, like creating a key: the first
 * apply with the cdn on (a first deployment, or the upgrade of an existing one) is made with
 * administrator credentials, and CI then keeps what exists up to date.
 *
 * Why not create from CI: CloudFront and ACM tag a resource as they create it
 * (`CreateDistributionWithTags`, `RequestCertificate` with tags) and then require the tagging
 * permission on a resource that carries no tag yet; granting it would let the role tag any
 * untagged distribution or certificate of the account into the project and take it over, the
 * same trap as `kms:CreateKey` with `kms:TagResource`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html
 */

/** What the CI policies need to know about the CDN stage. */
export interface CiCdnProps {
  readonly partition: string;
  readonly accountId: string;
  /** The value of the `Project` tag the distribution and certificate carry (the providers' default tags). */
  readonly projectTag: string;
  /** The existing hosted zone the stack writes records into, when the settings name one. */
  readonly hostedZoneId?: string;
  /** The custom names (the records the stack writes are these and their ACM validation names). */
  readonly domainNames?: readonly string[];
}

/** The region CloudFront takes certificates from. */
const CERTIFICATE_REGION = "us-east-1";

/** `actions`, then every read `npm run verify -- --no-probe` makes on `scope` that they lack, each once. */
function withVerifyReads(actions: readonly string[], scope: VerifyCallScope): string[] {
  return [...new Set([...actions, ...verifyReadActions(scope)])];
}

/**
 * Refreshing a distribution reads it, its configuration and its tags, and so does verify
 * (`common/verify-calls.ts`). Every one of these takes the distribution's ARN as its resource;
 * the id is unknown until an administrator creates it, so the grant is every distribution of
 * the account that carries the project's tag.
 */
const DISTRIBUTION_READ_ACTIONS = withVerifyReads(
  ["cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:ListTagsForResource"],
  "distribution",
);
const ORIGIN_ACCESS_CONTROL_READ_ACTIONS = withVerifyReads(
  ["cloudfront:GetOriginAccessControl"],
  "origin-access-control",
);
/** Updating the distribution in place, and its tags. No create (see above), no delete. */
const DISTRIBUTION_WRITE_ACTIONS = [
  "cloudfront:UpdateDistribution",
  "cloudfront:TagResource",
  "cloudfront:UntagResource",
];
/** ACM's reads of the requested certificate (refresh and the validation resource). */
const CERTIFICATE_READ_ACTIONS = withVerifyReads(
  ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
  "certificate",
);
/** Route 53's reads of the records the stack writes, and of the change it waits for. */
const ZONE_READ_ACTIONS = ["route53:GetHostedZone", "route53:ListResourceRecordSets"];

function taggedWithProject(props: CiCdnProps): Conditions {
  return { StringEquals: { "aws:ResourceTag/Project": props.projectTag } };
}

function distributions(props: CiCdnProps): string {
  return formatArn({
    partition: props.partition,
    service: "cloudfront",
    region: "",
    account: props.accountId,
    resource: "distribution/*",
  });
}

function hostedZone(props: CiCdnProps, zoneId: string): string {
  return formatArn({
    partition: props.partition,
    service: "route53",
    region: "",
    account: "",
    resource: `hostedzone/${zoneId}`,
  });
}

/**
 * What both CI roles read to refresh the CDN stage:
 * - the project's distributions (by tag, see DISTRIBUTION_READ_ACTIONS);
 * - origin access controls: `GetOriginAccessControl` takes an OAC ARN, but OACs carry no tags
 *   and their ids are unknown beforehand, so it is every OAC of the account (they hold a name
 *   and signing settings, nothing secret);
 * - the project's certificates in us-east-1 (by tag);
 * - the hosted zone by its exact id, and Route 53 changes (`GetChange` takes only `change/*`);
 * - what verify lists to find the stage without a state: distributions and origin access
 *   controls (CloudFront), and, with a requested certificate, certificates (ACM). These List
 *   actions take no resource, so `"*"` is the only one they can be granted on.
 */
export function cdnReadStatements(props: CiCdnProps): Statement[] {
  const statements: Statement[] = [
    {
      Sid: "ReadProjectDistributions",
      Effect: "Allow",
      Action: DISTRIBUTION_READ_ACTIONS,
      Resource: distributions(props),
      Condition: taggedWithProject(props),
    },
    {
      Sid: "ReadOriginAccessControls",
      Effect: "Allow",
      Action: ORIGIN_ACCESS_CONTROL_READ_ACTIONS,
      Resource: formatArn({
        partition: props.partition,
        service: "cloudfront",
        region: "",
        account: props.accountId,
        resource: "origin-access-control/*",
      }),
    },
    {
      Sid: "ListDistributionsAndOriginAccessControls",
      Effect: "Allow",
      Action: verifyReadActions("any", "cloudfront"),
      Resource: "*",
    },
  ];
  if (props.hostedZoneId === undefined) return statements;
  return [
    ...statements,
    {
      Sid: "ReadProjectCertificates",
      Effect: "Allow",
      Action: CERTIFICATE_READ_ACTIONS,
      Resource: formatArn({
        partition: props.partition,
        service: "acm",
        region: CERTIFICATE_REGION,
        account: props.accountId,
        resource: "certificate/*",
      }),
      Condition: taggedWithProject(props),
    },
    { Sid: "ListCertificatesForVerify", Effect: "Allow", Action: verifyReadActions("any", "acm"), Resource: "*" },
    {
      Sid: "ReadSiteZone",
      Effect: "Allow",
      Action: ZONE_READ_ACTIONS,
      Resource: hostedZone(props, props.hostedZoneId),
    },
    {
      Sid: "ReadRoute53Changes",
      Effect: "Allow",
      Action: "route53:GetChange",
      Resource: formatArn({
        partition: props.partition,
        service: "route53",
        region: "",
        account: "",
        resource: "change/*",
      }),
    },
  ];
}

/**
 * What the apply role writes in the CDN stage: the project's distributions, in place (by tag),
 * and, with a hosted zone, records in that zone only, and only under the site's names: each
 * name itself and the `_<token>.<name>` records ACM validates it with
 * (`route53:ChangeResourceRecordSetsNormalizedRecordNames`).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export function cdnWriteStatements(props: CiCdnProps): Statement[] {
  const statements: Statement[] = [
    {
      Sid: "UpdateProjectDistributions",
      Effect: "Allow",
      Action: DISTRIBUTION_WRITE_ACTIONS,
      Resource: distributions(props),
      Condition: taggedWithProject(props),
    },
  ];
  if (props.hostedZoneId === undefined || props.domainNames === undefined) return statements;
  const names = props.domainNames.flatMap((name) => [name, `_*.${name}`]);
  return [
    ...statements,
    {
      Sid: "WriteSiteRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: hostedZone(props, props.hostedZoneId),
      Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": names } },
    },
  ];
}
