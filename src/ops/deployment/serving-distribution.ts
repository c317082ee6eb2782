/**
 * The CloudFront distribution in front of an origin, found without a state: used by verify's
 * discovery (`live-cdn.ts`) and by publish (`../publish/target.ts`).
 */
import { DistributionSummary, GetDistributionConfigCommand, Origin } from "@aws-sdk/client-cloudfront";
import { AwsClients } from "../aws-clients";
import type { EmulatorDifference } from "../emulator/differences";

/**
 * A distribution's origins: its summary's. On AWS every summary carries them
 * (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionSummary.html); with
 * the emulator difference `distribution-list-without-origins` passed in, a summary without them
 * is completed from the distribution's configuration.
 */
async function originsOf(
  summary: DistributionSummary,
  clients: AwsClients,
  differences: readonly EmulatorDifference[],
): Promise<readonly Origin[]> {
  if (summary.Origins?.Items !== undefined) return summary.Origins.Items;
  if (!differences.some((d) => d.id === "distribution-list-without-origins")) return [];
  const answer = await clients.cloudfront().send(new GetDistributionConfigCommand({ Id: summary.Id }));
  return answer.DistributionConfig?.Origins?.Items ?? [];
}

/** The first of `distributions` with an origin whose domain `serves` accepts, if one does. */
export async function servingDistribution(
  distributions: readonly DistributionSummary[],
  serves: (originDomain: string) => boolean,
  clients: AwsClients,
  differences: readonly EmulatorDifference[],
): Promise<DistributionSummary | undefined> {
  for (const summary of distributions) {
    const origins = await originsOf(summary, clients, differences);
    if (origins.some((o) => serves(o.DomainName ?? ""))) return summary;
  }
  return undefined;
}
