import { AliasListEntry, ListAliasesCommand } from "@aws-sdk/client-kms";
import { AwsClients } from "./aws-clients";

/**
 * The one KMS alias lister: every alias of a region (ListAliases, all pages), asked once per
 * region and shared by the deployment's discovery and the alias reader.
 */
export class AliasDirectory {
  private readonly byRegion = new Map<string, Promise<AliasListEntry[]>>();

  constructor(private readonly clients: AwsClients) {}

  /** Every alias in `region`; rejects with the SDK's error. */
  list(region: string): Promise<AliasListEntry[]> {
    let found = this.byRegion.get(region);
    if (found === undefined) {
      found = listAll(this.clients, region);
      this.byRegion.set(region, found);
    }
    return found;
  }

  /** The alias named `name` in `region`, or undefined. */
  async find(region: string, name: string): Promise<AliasListEntry | undefined> {
    return (await this.list(region)).find((entry) => entry.AliasName === name);
  }
}

async function listAll(clients: AwsClients, region: string): Promise<AliasListEntry[]> {
  const aliases: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.kms(region).send(new ListAliasesCommand({ Marker: marker }));
    aliases.push(...(page.Aliases ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return aliases;
}
