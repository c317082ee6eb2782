/**
 * What the verifier needs to know about a deployment it did not make, read from AWS instead of
 * a Terraform state: the account and partition (STS), and for every resource the synthesized
 * stack declares, the attributes its references use. So `npm run verify` works after
 * `cdktf deploy`, after CI, or on a deployment someone else made, with no state file.
 *
 * - `data.aws_caller_identity`: the account STS answers with; `data.aws_partition`: the
 *   partition of the caller's ARN, and its DNS suffix.
 * - `aws_s3_bucket`: its declared name (with the account filled in), the ARN built from it.
 * - `aws_iam_role`: its declared fixed name and path, the ARN built from them.
 * - `aws_kms_alias`: its declared name; the key it points at, from `ListAliases` in its region.
 * - `aws_kms_key`: found through the alias that targets it (a key has no name of its own).
 * A key whose alias is gone cannot be found: its attributes read `(missing: …)`, and the rows
 * that use it fail, naming the alias.
 */
import { AliasListEntry, ListAliasesCommand } from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { isRecord } from "../../common/json";
import { AwsClients } from "../aws-clients";
import { jsonBlocks } from "./declaration";
import { VerifyInputError } from "./errors";
import { StateIndex, StateResource, parseReference, resolveTemplate } from "./references";

/** The caller STS reports: the account everything is looked up in. */
export interface Caller {
  readonly account: string;
  readonly arn: string;
  readonly partition: string;
}

/** DNS suffix of each partition's service endpoints. */
const DNS_SUFFIXES: Readonly<Record<string, string>> = {
  aws: "amazonaws.com",
  "aws-cn": "amazonaws.com.cn",
  "aws-us-gov": "amazonaws.com",
};

type Declared = Record<string, Record<string, Record<string, unknown>>>;

/** `synthesized.<section>` as type → name → arguments. */
function section(synthesized: unknown, name: "resource" | "data"): Declared {
  const value = isRecord(synthesized) ? synthesized[name] : undefined;
  return (isRecord(value) ? value : {}) as Declared;
}

/** The region of each aliased provider of the stack, by `aws.<alias>`. */
function providerRegions(synthesized: unknown): Map<string, string> {
  const providers = isRecord(synthesized) && isRecord(synthesized.provider) ? jsonBlocks(synthesized.provider.aws) : [];
  return new Map(
    providers.map((p) => [typeof p.alias === "string" ? `aws.${p.alias}` : "aws", String(p.region ?? "")]),
  );
}

/** Asks STS who the credentials are; errors propagate (no credentials, no endpoint). */
export async function whoAmI(clients: AwsClients, region: string): Promise<Caller> {
  const identity = await clients.sts(region).send(new GetCallerIdentityCommand({}));
  const arn = identity.Arn ?? "";
  return { account: identity.Account ?? "", arn, partition: arn.split(":")[1] || "aws" };
}

function resource(
  mode: "managed" | "data",
  type: string,
  name: string,
  values: Record<string, unknown>,
): StateResource {
  return { address: `${mode === "data" ? "data." : ""}${type}.${name}`, mode, type, name, values };
}

/**
 * The index of a live deployment of `synthesized`, built from AWS: every value a reference of
 * the stack can ask for. `region` is the one STS and unaliased providers use.
 */
export async function discoverDeployment(
  synthesized: unknown,
  clients: AwsClients,
  caller: Caller,
): Promise<StateIndex> {
  const regions = providerRegions(synthesized);
  const regionOf = (config: Record<string, unknown>) =>
    regions.get(typeof config.provider === "string" ? config.provider : "aws") ?? "";
  const found: StateResource[] = [];
  for (const name of Object.keys(section(synthesized, "data").aws_caller_identity ?? {})) {
    found.push(
      resource("data", "aws_caller_identity", name, {
        account_id: caller.account,
        arn: caller.arn,
        id: caller.account,
      }),
    );
  }
  for (const name of Object.keys(section(synthesized, "data").aws_partition ?? {})) {
    found.push(
      resource("data", "aws_partition", name, {
        partition: caller.partition,
        dns_suffix: DNS_SUFFIXES[caller.partition] ?? "amazonaws.com",
        id: caller.partition,
      }),
    );
  }
  // Names are literals or built from the data sources above.
  const named = new StateIndex(found);
  const literal = (value: unknown, where: string) => String(resolveTemplate(String(value), named, where));
  const declared = section(synthesized, "resource");
  for (const [name, config] of Object.entries(declared.aws_s3_bucket ?? {})) {
    const bucket = literal(config.bucket, `resource.aws_s3_bucket.${name}.bucket`);
    found.push(
      resource("managed", "aws_s3_bucket", name, {
        bucket,
        id: bucket,
        arn: `arn:${caller.partition}:s3:::${bucket}`,
        region: regionOf(config),
      }),
    );
  }
  for (const [name, config] of Object.entries(declared.aws_iam_role ?? {})) {
    if (config.name === undefined)
      throw new VerifyInputError(`aws_iam_role.${name} has no fixed name: the verifier cannot find it without a state`);
    const roleName = literal(config.name, `resource.aws_iam_role.${name}.name`);
    const path = typeof config.path === "string" ? config.path : "/";
    found.push(
      resource("managed", "aws_iam_role", name, {
        name: roleName,
        id: roleName,
        arn: `arn:${caller.partition}:iam::${caller.account}:role${path}${roleName}`,
      }),
    );
  }
  found.push(...(await discoverKeys(declared, regionOf, clients, caller, literal)));
  return new StateIndex(found);
}

/** The keys and aliases of the stack, found through the aliases' names. */
async function discoverKeys(
  declared: Declared,
  regionOf: (config: Record<string, unknown>) => string,
  clients: AwsClients,
  caller: Caller,
  literal: (value: unknown, where: string) => string,
): Promise<StateResource[]> {
  const aliasesByRegion = new Map<string, Promise<AliasListEntry[]>>();
  const listAliases = (region: string) => {
    if (!aliasesByRegion.has(region)) aliasesByRegion.set(region, listAllAliases(clients, region));
    return aliasesByRegion.get(region) as Promise<AliasListEntry[]>;
  };
  const found: StateResource[] = [];
  const keyIds = new Map<string, { keyId: string; region: string }>();
  for (const [name, config] of Object.entries(declared.aws_kms_alias ?? {})) {
    const aliasName = literal(config.name, `resource.aws_kms_alias.${name}.name`);
    const region = regionOf(config);
    const live = (await listAliases(region)).find((entry) => entry.AliasName === aliasName);
    const keyId = live?.TargetKeyId ?? `(missing: no alias ${aliasName} in ${region})`;
    const target = parseReference(String(config.target_key_id).replace(/^\$\{(.*)\}$/, "$1"));
    if (target !== undefined && target.type === "aws_kms_key") keyIds.set(target.name, { keyId, region });
    found.push(
      resource("managed", "aws_kms_alias", name, {
        name: aliasName,
        id: aliasName,
        target_key_id: keyId,
        arn: `arn:${caller.partition}:kms:${region}:${caller.account}:${aliasName}`,
      }),
    );
  }
  for (const [name, config] of Object.entries(declared.aws_kms_key ?? {})) {
    const live = keyIds.get(name);
    const region = regionOf(config);
    const keyId = live?.keyId ?? `(missing: no alias of aws_kms_key.${name} is declared)`;
    const arn = keyId.startsWith("(missing")
      ? keyId
      : `arn:${caller.partition}:kms:${region}:${caller.account}:key/${keyId}`;
    found.push(resource("managed", "aws_kms_key", name, { key_id: keyId, id: keyId, arn }));
  }
  return found;
}

async function listAllAliases(clients: AwsClients, region: string): Promise<AliasListEntry[]> {
  const aliases: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.kms(region).send(new ListAliasesCommand({ Marker: marker }));
    aliases.push(...(page.Aliases ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return aliases;
}
