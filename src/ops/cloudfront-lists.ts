/**
 * CloudFront's list calls, every page (Marker/NextMarker): the distributions and origin access
 * controls of the account. CloudFront is global: one client. Rejects with the SDK's error.
 */
import {
  DistributionSummary,
  ListDistributionsCommand,
  ListOriginAccessControlsCommand,
  OriginAccessControlSummary,
} from "@aws-sdk/client-cloudfront";
import { AwsClients } from "./aws-clients";

/** One page of a list: its items and the next marker, if any. */
interface Page<T> {
  readonly Items?: T[];
  readonly IsTruncated?: boolean;
  readonly NextMarker?: string;
}

/** Every page of a CloudFront list call, by its Marker/NextMarker. */
async function allPages<T>(page: (marker: string | undefined) => Promise<Page<T> | undefined>): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const answer = await page(marker);
    items.push(...(answer?.Items ?? []));
    marker = answer?.IsTruncated ? answer.NextMarker : undefined;
  } while (marker !== undefined && marker !== "");
  return items;
}

/** Every distribution of the account (their summaries name their origins, except the emulator's). */
export function listDistributions(clients: AwsClients): Promise<DistributionSummary[]> {
  return allPages(
    async (Marker) => (await clients.cloudfront().send(new ListDistributionsCommand({ Marker }))).DistributionList,
  );
}

/** Every origin access control of the account. */
export function listOriginAccessControls(clients: AwsClients): Promise<OriginAccessControlSummary[]> {
  return allPages(
    async (Marker) =>
      (await clients.cloudfront().send(new ListOriginAccessControlsCommand({ Marker }))).OriginAccessControlList,
  );
}
