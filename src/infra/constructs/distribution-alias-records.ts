import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SiteDistribution } from "./site-distribution";

/** Props of {@link DistributionAliasRecords}. */
export interface DistributionAliasRecordsProps {
  /** A provider for Route 53 (global). */
  readonly provider: AwsProvider;
  /** The existing hosted zone of every name; never created here. */
  readonly hostedZoneId: string;
  /** The names to point at the distribution (its aliases). */
  readonly names: readonly string[];
  /** The distribution the names lead to. */
  readonly distribution: SiteDistribution;
}

/**
 * Points each custom name at the distribution: an A and an AAAA alias record per name (the
 * distribution serves IPv6), to the distribution's domain name in CloudFront's hosted zone.
 * Alias records to CloudFront cost nothing per query and never check target health.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-cloudfront-distribution.html
 */
export class DistributionAliasRecords extends Construct {
  /** The records, two per name (A, then AAAA), in the order of `names`. */
  readonly records: readonly Route53Record[];

  constructor(scope: Construct, id: string, props: DistributionAliasRecordsProps) {
    super(scope, id);
    const { distribution } = props.distribution;
    this.records = props.names.flatMap((name, index) =>
      (["A", "AAAA"] as const).map(
        (type) =>
          new Route53Record(this, `${type.toLowerCase()}-${index}`, {
            provider: props.provider,
            zoneId: props.hostedZoneId,
            name,
            type,
            alias: {
              name: distribution.domainName,
              zoneId: distribution.hostedZoneId,
              evaluateTargetHealth: false,
            },
          }),
      ),
    );
  }
}
