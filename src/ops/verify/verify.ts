import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { checkBucketSettings } from "./buckets";
import { AwsClients } from "../aws-clients";
import { BucketTarget, VerifyContext } from "./context";
import { Declaration } from "./declaration";
import { VerifyInputError } from "./errors";
import { checkKeys } from "./keys";
import { checkLifecycle } from "./lifecycle";
import { checkLogging } from "./logging";
import { checkBucketPolicy, checkRolePolicies } from "./policies";
import { checkReplication } from "./replication";
import { checkObjectRoundTrip } from "./round-trip";
import type { CheckRow } from "./check-row";
import { callAws, foundOf } from "./aws-call";
import { checkRow } from "./check-row";

/**
 * The live verifier: reads the deployed buckets, keys, replication and IAM role back with AWS SDK
 * v3 and compares them with what the stack declared, one row per check.
 *
 * Where expectations come from:
 * - house invariants, fixed by the project: versioning Enabled, the four public-access-block
 *   flags, BucketOwnerEnforced, key Enabled with rotation on, and for site buckets SSE-KMS with the
 *   same-region key (from the outputs) and the Bucket Key;
 * - everything else (bucket, key and role policies, lifecycle rules, logging targets, log bucket
 *   encryption, replication, aliases, regions) from the synthesized cdk.tf.json, its `${...}`
 *   references resolved from the applied state.
 * Topics live in `verify-*.ts`; emulator differences are named in `verify-emulator-notes.ts`.
 */


/** Everything the verifier reads. */
export interface VerifyInput {
  /** `terraform output -json`, values flattened (see REQUIRED_OUTPUTS). */
  outputs: Record<string, string>;
  /** `terraform show -json` after apply (values.root_module.resources[] with type, name, values). */
  state: unknown;
  /** The parsed cdk.tf.json as synthesized. */
  synthesized: unknown;
  /** AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_USE_PATH_STYLE …: the SDK clients are built from this. */
  env: Record<string, string | undefined>;
  /** True on the local emulator (moto): enables the handling named in EMULATOR_DIFFERENCES. */
  emulator: boolean;
}

/** The stack outputs the verifier reads. */
const REQUIRED_OUTPUTS = [
  "account_id", "primary_region", "replica_region",
  "primary_bucket_name", "replica_bucket_name", "primary_log_bucket_name", "replica_log_bucket_name",
  "primary_key_arn", "replica_key_arn",
] as const;

/** The four buckets: their part, the output naming them, their kind, the output naming their key. */
const BUCKETS = [
  { role: "primary", output: "primary_bucket_name", kind: "site", keyOutput: "primary_key_arn" },
  { role: "replica", output: "replica_bucket_name", kind: "site", keyOutput: "replica_key_arn" },
  { role: "primary logs", output: "primary_log_bucket_name", kind: "log" },
  { role: "replica logs", output: "replica_log_bucket_name", kind: "log" },
] as const;

function bucketTargets(ctx: VerifyContext): BucketTarget[] {
  return BUCKETS.map((spec) => {
    const name = ctx.outputs[spec.output];
    const resource = ctx.declaration.oneForBucket("aws_s3_bucket", name);
    if (resource === undefined) {
      throw new VerifyInputError(`no aws_s3_bucket in the synthesized JSON resolves to ${name} (output ${spec.output}): are the JSON and the state from the same stack?`);
    }
    return {
      role: spec.role, name, kind: spec.kind, resource,
      region: ctx.declaration.regionOf(resource),
      keyArn: "keyOutput" in spec ? ctx.outputs[spec.keyOutput] : undefined,
    };
  });
}

/** The account the clients reach is the account the stack was deployed in. */
async function checkAccount(ctx: VerifyContext, region: string): Promise<CheckRow[]> {
  const identity = await callAws(async () => (await ctx.clients.sts(region).send(new GetCallerIdentityCommand({}))).Account);
  return [checkRow("account", "sts:GetCallerIdentity", ctx.outputs.account_id, foundOf(identity, (account) => account ?? "(unknown)"))];
}

/** Every row about one bucket, in table order. */
async function checkBucket(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const parts = await Promise.all([
    checkBucketSettings(ctx, bucket), checkBucketPolicy(ctx, bucket), checkLifecycle(ctx, bucket), checkLogging(ctx, bucket),
  ]);
  return parts.flat();
}

/**
 * Verifies a deployment against its declaration. Resolves with every row, passing or not; rejects
 * only when it cannot tell what was declared (VerifyInputError, UnresolvedReferenceError).
 * The object round trip runs last, alone: on the emulator it lifts the primary bucket's policy.
 */
export async function verifyDeployment(input: VerifyInput): Promise<CheckRow[]> {
  const missing = REQUIRED_OUTPUTS.filter((name) => typeof input.outputs[name] !== "string" || input.outputs[name] === "");
  if (missing.length > 0) {
    throw new VerifyInputError(`outputs lack ${missing.join(", ")}: pass \`terraform output -json\` of the applied stack, values flattened`);
  }
  const declaration = new Declaration(input.synthesized, input.state, input.env.AWS_REGION ?? input.env.AWS_DEFAULT_REGION);
  const clients = new AwsClients(input.env);
  try {
    const ctx = new VerifyContext(declaration, clients, input.outputs, input.emulator);
    const buckets = bucketTargets(ctx);
    const groups = await Promise.all([
      checkAccount(ctx, buckets[0].region),
      ...buckets.map((bucket) => checkBucket(ctx, bucket)),
      checkKeys(ctx, buckets),
      checkReplication(ctx),
      checkRolePolicies(ctx),
    ]);
    const primary = buckets[0];
    return [...groups.flat(), ...await checkObjectRoundTrip(ctx, primary, buckets)];
  } finally {
    clients.destroy();
  }
}
