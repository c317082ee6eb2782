/**
 * The CDN stage of a deployment found without a state (see `live-index.ts`):
 * - `aws_cloudfront_origin_access_control`: the one whose name is the declared name
 *   (ListOriginAccessControls; names are unique in an account).
 * - `aws_cloudfront_distribution`: the one with an origin whose domain is the declared origin's
 *   domain (the primary bucket's regional domain name). Its ARN is built from the partition,
 *   account and id, never taken from the emulator (which returns a malformed one, EMULATOR.md).
 * The hosted zone of every CloudFront distribution is fixed per partition (Route 53 alias target).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-route53-recordset-aliastarget.html
 */
import { DistributionSummary, GetDistributionConfigCommand } from "@aws-sdk/client-cloudfront";
import { distributionArn } from "../../common/arn";
import { AwsClients } from "../aws-clients";
import { listDistributions, listOriginAccessControls } from "../cloudfront-lists";
import { StateIndex, StateResource, resolveTemplate, stateResource } from "../terraform/references";
import { Declared, jsonBlocks } from "../terraform/synthesized";

/** The hosted zone id of CloudFront alias targets, per partition (aws-cn has its own). */
const CLOUDFRONT_HOSTED_ZONES: Readonly<Record<string, string>> = { aws: "Z2FDTNDATAQYW2", "aws-cn": "Z3RFFRIM2A3IF5" };

/** The live CDN resources `declared` names, resolved against `index` (buckets, data sources). */
export async function cdnResources(
  declared: Declared,
  index: StateIndex,
  clients: AwsClients,
  partition: string,
  account: string,
): Promise<StateResource[]> {
  const oacsDeclared = Object.entries(declared.aws_cloudfront_origin_access_control ?? {});
  const distributionsDeclared = Object.entries(declared.aws_cloudfront_distribution ?? {});
  if (oacsDeclared.length === 0 && distributionsDeclared.length === 0) return [];
  const found: StateResource[] = [];
  const oacs = oacsDeclared.length === 0 ? [] : await listOriginAccessControls(clients);
  for (const [name, config] of oacsDeclared) {
    const wanted = String(resolveTemplate(String(config.name), index, `aws_cloudfront_origin_access_control.${name}`));
    const oac = oacs.find((o) => o.Name === wanted);
    const id = oac?.Id ?? `(missing: no origin access control named ${wanted})`;
    found.push(stateResource("managed", "aws_cloudfront_origin_access_control", name, { id, name: wanted, etag: "" }));
  }
  const distributions = distributionsDeclared.length === 0 ? [] : await listDistributions(clients);
  for (const [name, config] of distributionsDeclared) {
    const where = `aws_cloudfront_distribution.${name}.origin`;
    const domains = jsonBlocks(config.origin).map((o) => String(resolveTemplate(String(o.domain_name), index, where)));
    const live = await servingDistribution(distributions, domains, clients);
    found.push(
      stateResource(
        "managed",
        "aws_cloudfront_distribution",
        name,
        distributionValues(live, domains, partition, account),
      ),
    );
  }
  return found;
}

/**
 * The distribution with an origin on one of `domains`. The summary's origins when it has them;
 * the emulator's summaries have none (EMULATOR.md), so then each distribution's configuration.
 */
async function servingDistribution(
  distributions: readonly DistributionSummary[],
  domains: readonly string[],
  clients: AwsClients,
): Promise<DistributionSummary | undefined> {
  for (const summary of distributions) {
    const origins =
      summary.Origins?.Items ??
      (await clients
        .cloudfront()
        .send(new GetDistributionConfigCommand({ Id: summary.Id }))
        .then((answer) => answer.DistributionConfig?.Origins?.Items ?? []));
    if ((origins ?? []).some((o) => domains.includes(String(o.DomainName)))) return summary;
  }
  return undefined;
}

function distributionValues(
  live: DistributionSummary | undefined,
  domains: readonly string[],
  partition: string,
  account: string,
): Record<string, unknown> {
  const hosted_zone_id = CLOUDFRONT_HOSTED_ZONES[partition] ?? CLOUDFRONT_HOSTED_ZONES.aws;
  if (live?.Id === undefined) {
    const missing = `(missing: no distribution with an origin ${domains.join(" or ")})`;
    return { id: missing, arn: missing, domain_name: missing, hosted_zone_id };
  }
  return {
    id: live.Id,
    arn: distributionArn(partition, account, live.Id),
    domain_name: live.DomainName,
    hosted_zone_id,
  };
}
