import {
  AliasListEntry,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
} from "@aws-sdk/client-kms";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { DeclaredResource, jsonBlock } from "./declaration";
import { normalizePolicy, policyRows } from "./policies";
import { CallResult, callAws, foundOf } from "./aws-call";
import { checkRow } from "./check-row";

/** House invariants of every key (RegionalKey): enabled, yearly automatic rotation on. */
const KEY_INVARIANTS = { state: "Enabled", rotation: "on" } as const;

/** The region of an ARN (`arn:partition:service:region:account:resource`). */
function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" ? parts[3] : undefined;
}

async function listAliases(kms: KMSClient): Promise<AliasListEntry[]> {
  const aliases: AliasListEntry[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Marker: marker }));
    aliases.push(...(page.Aliases ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return aliases;
}

/** The declared buckets whose default encryption names this key (by ARN or id). */
function bucketsEncryptedWith(
  ctx: VerifyContext,
  buckets: readonly BucketTarget[],
  keyArn: string,
  keyId: string,
): BucketTarget[] {
  return buckets.filter((bucket) => {
    const declared = ctx.declaration.oneForBucket("aws_s3_bucket_server_side_encryption_configuration", bucket.name);
    const rule = declared ? jsonBlock(ctx.declaration.resolved(declared, "rule")) : undefined;
    const key = rule ? jsonBlock(rule.apply_server_side_encryption_by_default)?.kms_master_key_id : undefined;
    return key === keyArn || key === keyId;
  });
}

/**
 * One declared key (`aws_kms_key`), read through its own region's client: state Enabled,
 * rotation on, each declared alias (`aws_kms_alias`) pointing at it, key policy statements as
 * declared, and the key in the same region as every bucket whose default encryption names it.
 */
async function checkKey(
  ctx: VerifyContext,
  key: DeclaredResource,
  buckets: readonly BucketTarget[],
  aliasesOf: (region: string) => Promise<CallResult<AliasListEntry[]>>,
): Promise<CheckRow[]> {
  const { declaration } = ctx;
  const applied = declaration.applied(key).values;
  const keyArn = String(applied.arn);
  const keyId = String(applied.key_id ?? applied.id);
  const region = declaration.regionOf(key);
  const kms = ctx.clients.kms(region);
  const [described, rotation, policy, aliases] = await Promise.all([
    callAws(async () => (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata),
    callAws(async () => (await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).KeyRotationEnabled),
    callAws(async () => (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }))).Policy),
    aliasesOf(region),
  ]);
  const rows: CheckRow[] = [
    checkRow(
      "key state",
      keyArn,
      KEY_INVARIANTS.state,
      foundOf(described, (metadata) => metadata?.KeyState ?? "(unknown)"),
    ),
    checkRow(
      "key rotation",
      keyArn,
      KEY_INVARIANTS.rotation,
      foundOf(rotation, (enabled) => (enabled ? "on" : "off")),
    ),
  ];
  for (const alias of declaration.resources("aws_kms_alias")) {
    const target = declaration.resolvedString(alias, "target_key_id");
    if (target !== keyId && target !== keyArn) continue;
    const name = declaration.resolvedString(alias, "name") ?? String(declaration.applied(alias).values.name);
    rows.push(
      checkRow(
        "key alias",
        name,
        keyId,
        foundOf(aliases, (list) => list.find((entry) => entry.AliasName === name)?.TargetKeyId ?? "(no such alias)"),
      ),
    );
  }
  if (key.config.policy !== undefined) {
    rows.push(
      ...policyRows("key policy", keyArn, normalizePolicy(declaration.resolved(key, "policy")), policy, [
        "NotFoundException",
      ]),
    );
  }
  const keyRegion = foundOf(described, (metadata) => regionOfArn(metadata?.Arn ?? "") ?? "(unknown)");
  for (const bucket of bucketsEncryptedWith(ctx, buckets, keyArn, keyId)) {
    const bucketRegion = await ctx.location(bucket.name, bucket.region);
    // Resource: the key; expected: the live region of the bucket it encrypts; found: the key's region.
    rows.push(
      checkRow(
        `key in the region of ${bucket.role} bucket`,
        keyArn,
        foundOf(bucketRegion, (r) => r),
        keyRegion,
        bucketRegion.ok && keyRegion === bucketRegion.value,
      ),
    );
  }
  return rows;
}

/** Every declared key. `buckets` are the buckets under verification (for the region rows). */
export async function checkKeys(ctx: VerifyContext, buckets: readonly BucketTarget[]): Promise<CheckRow[]> {
  const aliasCache = new Map<string, Promise<CallResult<AliasListEntry[]>>>();
  const aliasesOf = (region: string) => {
    let found = aliasCache.get(region);
    if (found === undefined) {
      found = callAws(() => listAliases(ctx.clients.kms(region)));
      aliasCache.set(region, found);
    }
    return found;
  };
  const perKey = ctx.declaration.resources("aws_kms_key").map((key) => checkKey(ctx, key, buckets, aliasesOf));
  return (await Promise.all(perKey)).flat();
}
