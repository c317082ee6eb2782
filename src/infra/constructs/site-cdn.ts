import { Construct } from "constructs";
import { AwsProvider, AwsProviderDefaultTags } from "@cdktf/provider-aws/lib/provider";
import { distributionArn } from "../../common/arn";
import { CLOUDFRONT_CERTIFICATE_REGION, CdnSettings } from "../../config/cdn-schema";
import { DistributionAliasRecords } from "./distribution-alias-records";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import { OriginAccessControl } from "./origin-access-control";
import { SecureBucket } from "./secure-bucket";
import { DistributionDomain, SiteDistribution } from "./site-distribution";

/** Props of {@link SiteCdn}. */
export interface SiteCdnProps {
  /** The provider of the origin's region; CloudFront and Route 53 are global and use it too. */
  readonly provider: AwsProvider;
  /** The providers' default tags, for the us-east-1 provider a requested certificate needs. */
  readonly defaultTags: AwsProviderDefaultTags[];
  /** The bucket served. Its policy must grant {@link SiteCdn.distributionArn} (the stack does). */
  readonly origin: SecureBucket;
  /** The `cdn` settings: price class, error mode, custom domain. */
  readonly settings: CdnSettings;
  /** Names the origin access control and the distribution's comment. */
  readonly project: string;
  /** Partition and account, read from AWS: the distribution's ARN is built from them. */
  readonly partition: string;
  readonly accountId: string;
}

/**
 * The CDN stage in front of the primary bucket: an origin access control, the distribution and,
 * with a custom domain, either the given certificate or one requested and validated in the
 * given hosted zone (through a provider of us-east-1, whatever the origin's region) with A and
 * AAAA alias records to the distribution. Grants nothing itself: the key and bucket policies of
 * the origin name {@link distributionArn}, so Terraform creates key, bucket and OAC, then the
 * distribution, then those policies, without a cycle.
 */
export class SiteCdn extends Construct {
  readonly originAccessControl: OriginAccessControl;
  readonly distribution: SiteDistribution;
  /** The requested certificate, when `hostedZoneId` is set. */
  readonly certificate?: DnsValidatedCertificate;
  /** The alias records, when `hostedZoneId` is set. */
  readonly aliasRecords?: DistributionAliasRecords;
  /** The distribution's ARN, built from the partition, the account and its id. */
  readonly distributionArn: string;

  constructor(scope: Construct, id: string, props: SiteCdnProps) {
    super(scope, id);
    const { settings } = props;
    this.originAccessControl = new OriginAccessControl(this, "origin-access-control", {
      provider: props.provider,
      name: `${props.project}-site-bucket`,
      description: `Signs CloudFront's requests to the ${props.project} primary bucket`,
    });
    if (settings.domainNames !== undefined && settings.hostedZoneId !== undefined) {
      const certificateProvider = new AwsProvider(this, "certificate-provider", {
        alias: "cdn-certificate",
        region: CLOUDFRONT_CERTIFICATE_REGION,
        defaultTags: props.defaultTags,
      });
      this.certificate = new DnsValidatedCertificate(this, "certificate", {
        provider: certificateProvider,
        dnsProvider: props.provider,
        domainNames: settings.domainNames,
        hostedZoneId: settings.hostedZoneId,
      });
    }
    const certificateArn = this.certificate?.arn ?? settings.certificateArn;
    const domain: DistributionDomain | undefined =
      settings.domainNames === undefined || certificateArn === undefined
        ? undefined
        : { names: settings.domainNames, certificateArn };
    this.distribution = new SiteDistribution(this, "distribution", {
      provider: props.provider,
      origin: props.origin,
      originAccessControl: this.originAccessControl,
      priceClass: settings.priceClass,
      errorResponses: settings.errorResponses,
      domain,
      comment: `${props.project} static site`,
    });
    this.distributionArn = distributionArn(props.partition, props.accountId, this.distribution.id);
    if (domain !== undefined && settings.hostedZoneId !== undefined) {
      this.aliasRecords = new DistributionAliasRecords(this, "alias-records", {
        provider: props.provider,
        hostedZoneId: settings.hostedZoneId,
        names: domain.names,
        distribution: this.distribution,
      });
    }
  }
}
