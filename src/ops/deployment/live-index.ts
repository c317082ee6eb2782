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
 * - `aws_kms_alias`: its declared name.
 * - `aws_kms_key` (a key has no name of its own): the stack's key is the key its buckets encrypt
 *   with, read from the live default encryption of the buckets whose declared configuration
 *   names it; only when no such bucket answers, the key its alias points at. So a repointed
 *   alias fails the alias row (it points elsewhere), not every row that uses the key.
 * - the CDN stage: see `live-cdn.ts`.
 */
import { GetBucketEncryptionCommand } from "@aws-sdk/client-s3";
import { bucketArn, kmsAliasArn, kmsKeyArn, parseArn, roleArn } from "../../common/arn";
import { AwsClients } from "../aws-clients";
import type { Caller } from "../caller-identity";
import { callAws } from "../aws-call";
import { StateIndex, StateResource, parseReference, resolveTemplate, stateResource } from "../terraform/references";
import { Declared, jsonBlocks, providerOf, providerRegions, section } from "../terraform/synthesized";
import { DeploymentInputError } from "./errors";
import { AliasDirectory } from "../kms-aliases";
import { cdnResources } from "./live-cdn";
import type { EmulatorDifference } from "../emulator/differences";

/** The DNS suffix of a partition's service endpoints (aws and aws-us-gov share one). */
const dnsSuffix = (partition: string) => (partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");

/** The data sources the stack reads: the caller's account and partition. */
function dataSources(synthesized: unknown, caller: Caller): StateResource[] {
  const data = section(synthesized, "data");
  return [
    ...Object.keys(data.aws_caller_identity ?? {}).map((name) =>
      stateResource("data", "aws_caller_identity", name, {
        account_id: caller.account,
        arn: caller.arn,
        id: caller.account,
      }),
    ),
    ...Object.keys(data.aws_partition ?? {}).map((name) =>
      stateResource("data", "aws_partition", name, {
        partition: caller.partition,
        dns_suffix: dnsSuffix(caller.partition),
        id: caller.partition,
      }),
    ),
  ];
}

/** Buckets, roles and aliases: their names are literals or built from the data sources. */
function namedResources(declared: Declared, data: StateResource[], caller: Caller, regionOf: RegionOf) {
  const named = new StateIndex(data);
  const literal = (value: unknown, where: string) => String(resolveTemplate(String(value), named, where));
  const found: StateResource[] = [];
  for (const [name, config] of Object.entries(declared.aws_s3_bucket ?? {})) {
    const bucket = literal(config.bucket, `resource.aws_s3_bucket.${name}.bucket`);
    const region = regionOf(config);
    // The provider's bucketRegionalDomainName: <bucket>.s3.<region>.<partition's DNS suffix>.
    // https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/s3/bucket.go
    const bucket_regional_domain_name = `${bucket}.s3.${region}.${dnsSuffix(caller.partition)}`;
    const arn = bucketArn(caller.partition, bucket);
    const values = { bucket, id: bucket, arn, region, bucket_regional_domain_name };
    found.push(stateResource("managed", "aws_s3_bucket", name, values));
  }
  for (const [name, config] of Object.entries(declared.aws_iam_role ?? {})) {
    if (config.name === undefined)
      throw new DeploymentInputError(
        `aws_iam_role.${name} has no fixed name: the verifier cannot find it without a state`,
      );
    const roleName = literal(config.name, `resource.aws_iam_role.${name}.name`);
    const path = typeof config.path === "string" ? config.path : "/";
    const arn = roleArn(caller.partition, caller.account, roleName, path);
    found.push(stateResource("managed", "aws_iam_role", name, { name: roleName, id: roleName, arn }));
  }
  for (const [name, config] of Object.entries(declared.aws_kms_alias ?? {})) {
    const aliasName = literal(config.name, `resource.aws_kms_alias.${name}.name`);
    const arn = kmsAliasArn(caller.partition, regionOf(config), caller.account, aliasName);
    found.push(stateResource("managed", "aws_kms_alias", name, { name: aliasName, id: aliasName, arn }));
  }
  return found;
}

type RegionOf = (config: Record<string, unknown>) => string;

/** What finding a key needs: the declared resources, what is found so far, and where to ask. */
interface KeyLookup {
  readonly declared: Declared;
  readonly index: StateIndex;
  readonly clients: AwsClients;
  readonly aliases: AliasDirectory;
  readonly regionOf: RegionOf;
}

/**
 * The index of a live deployment of `synthesized`, built from AWS: every value a reference of
 * the stack can ask for. `defaultRegion` is the region of an unaliased provider naming none.
 */
export async function discoverDeployment(
  synthesized: unknown,
  clients: AwsClients,
  aliases: AliasDirectory,
  caller: Caller,
  defaultRegion: string | undefined,
  differences: readonly EmulatorDifference[],
): Promise<StateIndex> {
  const regions = providerRegions(synthesized, defaultRegion);
  const regionOf: RegionOf = (config) => regions.get(providerOf(config)) ?? "";
  const declared = section(synthesized, "resource");
  const data = dataSources(synthesized, caller);
  const found = [...data, ...namedResources(declared, data, caller, regionOf)];
  const lookup: KeyLookup = { declared, index: new StateIndex(found), clients, aliases, regionOf };
  const keys = Object.entries(declared.aws_kms_key ?? {}).map(async ([name, config]) => {
    const region = regionOf(config);
    const keyId =
      (await keyOfBuckets(lookup, name)) ??
      (await keyOfAlias(lookup, name)) ??
      `(missing: no bucket encryption or alias of aws_kms_key.${name} names a live key)`;
    const arn = keyId.startsWith("(missing") ? keyId : kmsKeyArn(caller.partition, region, caller.account, keyId);
    return stateResource("managed", "aws_kms_key", name, { key_id: keyId, id: keyId, arn });
  });
  found.push(...(await Promise.all(keys)));
  found.push(
    ...(await cdnResources(declared, new StateIndex(found), clients, caller.partition, caller.account, differences)),
  );
  return new StateIndex(found);
}

/** True when `value` is exactly a reference to an attribute of `aws_kms_key.<name>`. */
function refersToKey(value: unknown, name: string): boolean {
  const inner = typeof value === "string" ? /^\$\{(.*)\}$/.exec(value)?.[1] : undefined;
  const parsed = inner === undefined ? undefined : parseReference(inner);
  return parsed?.type === "aws_kms_key" && parsed.name === name;
}

/** A key id from what S3 or KMS returns: a key id, a key ARN, an alias name or an alias ARN. */
async function keyIdOf(text: string, region: string, aliases: AliasDirectory): Promise<string | undefined> {
  const resourcePart = parseArn(text)?.resource ?? text;
  if (resourcePart.startsWith("key/")) return resourcePart.slice("key/".length);
  if (resourcePart.startsWith("alias/")) return (await aliases.find(region, resourcePart))?.TargetKeyId;
  return resourcePart;
}

/** The key the live buckets encrypt with, for the buckets whose declared encryption names `aws_kms_key.<name>`. */
async function keyOfBuckets(lookup: KeyLookup, name: string): Promise<string | undefined> {
  const { declared, index, clients, aliases, regionOf } = lookup;
  for (const [configName, config] of Object.entries(
    declared.aws_s3_bucket_server_side_encryption_configuration ?? {},
  )) {
    const rules = jsonBlocks(config.rule);
    const names = rules.some((rule) =>
      jsonBlocks(rule.apply_server_side_encryption_by_default).some((d) => refersToKey(d.kms_master_key_id, name)),
    );
    if (!names) continue;
    const where = `resource.aws_s3_bucket_server_side_encryption_configuration.${configName}.bucket`;
    const bucket = String(resolveTemplate(String(config.bucket), index, where));
    const region = regionOf(config);
    const live = await callAws(() => clients.s3(region).send(new GetBucketEncryptionCommand({ Bucket: bucket })));
    const keyText = live.ok
      ? live.value.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID
      : undefined;
    const keyId = keyText === undefined ? undefined : await keyIdOf(keyText, region, aliases).catch(() => undefined);
    if (keyId !== undefined) return keyId;
  }
  return undefined;
}

/** The key the declared alias of `aws_kms_key.<name>` points at now. */
async function keyOfAlias(lookup: KeyLookup, name: string): Promise<string | undefined> {
  const { declared, index, aliases, regionOf } = lookup;
  for (const [aliasName, config] of Object.entries(declared.aws_kms_alias ?? {})) {
    if (!refersToKey(config.target_key_id, name)) continue;
    const alias = index.managed("aws_kms_alias", aliasName)?.values.name;
    const live = await callAws(() => aliases.find(regionOf(config), String(alias)));
    if (live.ok && live.value?.TargetKeyId !== undefined) return live.value.TargetKeyId;
  }
  return undefined;
}
