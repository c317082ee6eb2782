/**
 * The live verifier: reads a deployment of the storage stack back with AWS SDK v3 and compares
 * it with what the stack declares, one row per check. It needs no Terraform state: the
 * synthesized JSON says what is declared, and the account, names and keys are read from AWS
 * (see `live-index.ts`), so it checks a deployment made by `cdktf deploy`, by CI or by hand.
 *
 * Where expectations come from:
 * - house invariants, fixed by the project: versioning Enabled, the four public-access-block
 *   flags, BucketOwnerEnforced, key Enabled with rotation on, and for site buckets SSE-KMS with the
 *   same-region key and the Bucket Key;
 * - everything else (bucket, key and role policies, lifecycle rules, logging targets, log bucket
 *   encryption, replication, aliases, regions) from the synthesized cdk.tf.json, its `${...}`
 *   references resolved against the live deployment.
 * One topic per file; the emulator's known differences come from `emulator/differences.ts`.
 */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { isRecord } from "../../common/json";
import { AwsClients, AwsEnv } from "../aws-clients";
import { EMULATOR_DIFFERENCES } from "../emulator/differences";
import { callAws } from "./aws-call";
import { checkBucketSettings } from "./buckets";
import { CheckRow, checkRow } from "./check-row";
import { BucketTarget, VerifyContext } from "./context";
import { Declaration } from "./declaration";
import { VerifyCannotRunError, VerifyInputError, cannotRunOf } from "./errors";
import { checkKeys } from "./keys";
import { checkLifecycle } from "./lifecycle";
import { Caller, discoverDeployment, whoAmI } from "./live-index";
import { checkLogging } from "./logging";
import { checkBucketPolicy, checkRolePolicies } from "./policies";
import { ProbeOptions, probeReplication } from "./probe";
import { resolveReferences } from "./references";
import { toCheckRow } from "./row-adapter";
import { checkReplication } from "./replication";

/** Everything the verifier reads. */
export interface VerifyInput {
  /** The storage stack's cdk.tf.json, parsed, as the app synthesizes it with the user's settings. */
  readonly synthesized: unknown;
  /** The environment the SDK clients are built from: AWS, or the emulator's endpoint and test credentials. */
  readonly env: AwsEnv;
  /** True on the local emulator (moto): the handling named in EMULATOR_DIFFERENCES applies. */
  readonly emulator: boolean;
  /** The replication probe, or false for a strictly read-only run. */
  readonly probe: ProbeOptions | false;
}

/** What the verifier found. */
export interface VerifyResult {
  /** The account STS answered with: the deployment checked is in this account. */
  readonly account: string;
  /** Every check, passing or not. */
  readonly rows: readonly CheckRow[];
  /** What this run could not show, and why (on the emulator: what only AWS can show). */
  readonly notShown: readonly string[];
}

/** The four buckets: their part, the output naming them, their kind, the output naming their key. */
const BUCKETS = [
  { role: "primary", output: "primary_bucket_name", kind: "site", keyOutput: "primary_key_arn" },
  { role: "replica", output: "replica_bucket_name", kind: "site", keyOutput: "replica_key_arn" },
  { role: "primary logs", output: "primary_log_bucket_name", kind: "log" },
  { role: "replica logs", output: "replica_log_bucket_name", kind: "log" },
] as const;

/** The stack's outputs (bucket names, key ARNs), resolved against the live deployment. */
function liveOutputs(synthesized: unknown, declaration: Declaration): Record<string, string> {
  const outputs = isRecord(synthesized) && isRecord(synthesized.output) ? synthesized.output : {};
  return Object.fromEntries(
    Object.entries(outputs).map(([name, output]) => [
      name,
      String(resolveReferences(isRecord(output) ? output.value : undefined, declaration.state, `output.${name}`)),
    ]),
  );
}

function bucketTargets(ctx: VerifyContext): BucketTarget[] {
  return BUCKETS.map((spec) => {
    const name = ctx.outputs[spec.output];
    const resource = name === undefined ? undefined : ctx.declaration.oneForBucket("aws_s3_bucket", name);
    if (resource === undefined) {
      throw new VerifyInputError(
        `the synthesized stack has no output ${spec.output} naming one of its aws_s3_bucket resources: is it the site-storage stack?`,
      );
    }
    return {
      role: spec.role,
      name,
      kind: spec.kind,
      resource,
      region: ctx.declaration.regionOf(resource),
      keyArn: "keyOutput" in spec ? ctx.outputs[spec.keyOutput] : undefined,
    };
  });
}

/** Every row about one bucket, in table order. */
async function checkBucket(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const parts = await Promise.all([
    checkBucketSettings(ctx, bucket),
    checkBucketPolicy(ctx, bucket),
    checkLifecycle(ctx, bucket),
    checkLogging(ctx, bucket),
  ]);
  return parts.flat();
}

/** STS, or why it could not answer: what the user must fix before anything can be checked. */
async function caller(clients: AwsClients, region: string): Promise<Caller> {
  let identity: Caller;
  try {
    identity = await whoAmI(clients, region);
  } catch (error) {
    throw cannotRunOf(error) ?? error;
  }
  if (identity.account === "")
    throw new VerifyCannotRunError(
      "not-aws",
      "the endpoint is not AWS: STS GetCallerIdentity answered without an account. Check AWS_ENDPOINT_URL",
    );
  return identity;
}

/** Fails with "not deployed" when none of the stack's buckets exists in this account. */
async function requireDeployment(ctx: VerifyContext, buckets: readonly BucketTarget[], account: string): Promise<void> {
  const heads = await Promise.all(
    buckets.map((b) => callAws(() => ctx.clients.s3(b.region).send(new HeadBucketCommand({ Bucket: b.name })))),
  );
  const missing = heads.every((head) => !head.ok && ["NotFound", "NoSuchBucket", "404"].includes(head.code));
  if (missing) {
    throw new VerifyCannotRunError(
      "not-deployed",
      `site-storage is not deployed in account ${account}: none of its buckets ` +
        `(${buckets.map((b) => b.name).join(", ")}) exists. Deploy it (npx cdktf deploy site-storage), or check that the ` +
        "credentials and SITE_CONFIG select the deployment you mean",
    );
  }
}

/** The account the clients reach is the account the stack names its buckets after. */
function accountRow(ctx: VerifyContext, account: string): CheckRow {
  return checkRow("account", "sts:GetCallerIdentity", ctx.outputs.account_id ?? "(no account_id output)", account);
}

/**
 * Verifies the live deployment of `input.synthesized`. Resolves with every row, passing or not;
 * rejects with VerifyCannotRunError (no credentials, no endpoint, nothing deployed) or
 * VerifyInputError (the JSON is not the storage stack) when it cannot check anything.
 * The probe runs last, alone: on the emulator it lifts the primary bucket's policy.
 */
export async function verifyDeployment(input: VerifyInput): Promise<VerifyResult> {
  const region = input.env.AWS_REGION ?? input.env.AWS_DEFAULT_REGION;
  const clients = new AwsClients(input.env);
  try {
    const providers =
      isRecord(input.synthesized) && isRecord(input.synthesized.provider) ? input.synthesized.provider : undefined;
    if (providers === undefined)
      throw new VerifyInputError(
        "the synthesized JSON declares no provider: pass the parsed cdk.tf.json of site-storage",
      );
    const identity = await caller(clients, region ?? "us-east-1");
    const index = await discoverDeployment(input.synthesized, clients, identity);
    const declaration = new Declaration(input.synthesized, index, region);
    const ctx = new VerifyContext(declaration, clients, liveOutputs(input.synthesized, declaration), input.emulator);
    const buckets = bucketTargets(ctx);
    await requireDeployment(ctx, buckets, identity.account);
    const groups = await Promise.all([
      ...buckets.map((bucket) => checkBucket(ctx, bucket)),
      checkKeys(ctx, buckets),
      checkReplication(ctx),
      checkRolePolicies(ctx),
    ]);
    const rows = [accountRow(ctx, identity.account), ...groups.flat()];
    const [primary, replica] = buckets;
    if (input.probe !== false)
      rows.push(...(await probeReplication(ctx, primary, replica, input.probe)).map(toCheckRow));
    return { account: identity.account, rows, notShown: notShown(input) };
  } finally {
    clients.destroy();
  }
}

/** What the run could not show: the probe's replica half on the emulator, everything the probe shows when skipped. */
function notShown(input: VerifyInput): string[] {
  if (input.probe === false) return ["replication of an object (--no-probe: the run was read-only)"];
  if (!input.emulator) return [];
  return EMULATOR_DIFFERENCES.filter((d) => d.id === "replication-never-runs").map(
    (d) => `replication of an object: ${d.behaviour}; run npm run verify against AWS to see it`,
  );
}
