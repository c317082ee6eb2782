/**
 * The live verifier: reads a deployment of the storage stack back with AWS SDK v3 and compares
 * it with what the stack declares. It needs no Terraform state: the synthesized JSON says what
 * is declared, and the account, names and keys are read from AWS (see `../deployment/`), so it
 * checks a deployment made by `cdktf deploy`, by CI or by hand.
 *
 * Every expectation comes from the synthesized cdk.tf.json, its references resolved against the
 * live deployment; the rule pack guarantees the house invariants there. The two expectations
 * that are not arguments: a bucket is in its provider's region, a key is Enabled. Each declared
 * resource is read by the reader of its type (`readers/`) and compared in one way
 * (`compare.ts`); what the stack does not declare but widens access or moves data is drift.
 */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { isRecord } from "../../common/json";
import { AwsClients, AwsEnv } from "../aws-clients";
import type { EmulatorDifference } from "../emulator/differences";
import { callAws } from "../aws-call";
import { VerifyContext } from "./context";
import { BucketTarget, DistributionTarget, distributionTargets, probeBucket } from "../deployment/probe-targets";
import { Declaration } from "./declaration";
import { CannotRunError } from "../aws-errors";
import { callerIdentity } from "../caller-identity";
import { DeploymentInputError } from "../deployment/errors";
import { AliasDirectory } from "../kms-aliases";
import { discoverDeployment } from "../deployment/live-index";
import { READERS } from "./readers";
import { resourceRows } from "./resource-rows";
import { VerifyRow } from "./row";

/** Everything the verifier reads. */
export interface VerifyInput {
  /** The storage stack's cdk.tf.json, parsed, as the app synthesizes it with the user's settings. */
  readonly synthesized: unknown;
  /** The environment the SDK clients are built from: AWS, or the emulator's endpoint and test credentials. */
  readonly env: AwsEnv;
  /** The known differences of the emulator the deployment runs on (`EMULATOR_DIFFERENCES`); empty on AWS. */
  readonly tolerances: readonly EmulatorDifference[];
}

/** What the verifier found. */
export interface VerifyResult {
  /** The account STS answered with: the deployment checked is in this account. */
  readonly account: string;
  /** Every row, passing or not. */
  readonly rows: readonly VerifyRow[];
  /** What this run could not show, and why: the types it has no reader for. */
  readonly notShown: readonly string[];
  /** The primary and replica buckets, from the stack's outputs: where the object probe writes. */
  readonly buckets: { readonly primary: BucketTarget; readonly replica: BucketTarget };
  /** The declared distributions found live: what the reachability probe asks. */
  readonly distributions: readonly DistributionTarget[];
}

/** Fails with "not deployed" when none of the stack's buckets exists in this account. */
async function requireDeployment(ctx: VerifyContext, account: string): Promise<void> {
  const { declaration } = ctx;
  const buckets = declaration.resources("aws_s3_bucket").map((b) => ({
    name: String(declaration.resolved(b, "bucket")),
    region: declaration.regionOf(b),
  }));
  const heads = await Promise.all(
    buckets.map((b) => callAws(() => ctx.clients.s3(b.region).send(new HeadBucketCommand({ Bucket: b.name })))),
  );
  const missing = heads.every((head) => !head.ok && ["NotFound", "NoSuchBucket", "404"].includes(head.code));
  if (missing) {
    throw new CannotRunError(
      "not-deployed",
      `site-storage is not deployed in account ${account}: none of its buckets ` +
        `(${buckets.map((b) => b.name).join(", ")}) exists. Deploy it (npx cdktf deploy site-storage), or check that the ` +
        "credentials and SITE_CONFIG select the deployment you mean",
    );
  }
}

/**
 * Verifies the live deployment of `input.synthesized`. Resolves with every row, passing or not;
 * rejects with CannotRunError (no credentials, no endpoint, nothing deployed) or
 * DeploymentInputError (the JSON is not the storage stack) when it cannot check anything.
 * Strictly read-only: the object probe (`../probe/`) is the caller's to run after it.
 */
export async function verifyDeployment(input: VerifyInput): Promise<VerifyResult> {
  const region = input.env.AWS_REGION ?? input.env.AWS_DEFAULT_REGION;
  const clients = new AwsClients(input.env);
  try {
    if (!isRecord(input.synthesized) || !isRecord(input.synthesized.provider))
      throw new DeploymentInputError(
        "the synthesized JSON declares no provider: pass the parsed cdk.tf.json of site-storage",
      );
    const identity = await callerIdentity(clients, region ?? "us-east-1");
    const aliases = new AliasDirectory(clients);
    const index = await discoverDeployment(input.synthesized, clients, aliases, identity, region, input.tolerances);
    const declaration = new Declaration(input.synthesized, index, region);
    const ctx = new VerifyContext(declaration, clients, aliases, input.tolerances);
    const buckets = {
      primary: probeBucket(input.synthesized, index, region, "primary"),
      replica: probeBucket(input.synthesized, index, region, "replica"),
    };
    await requireDeployment(ctx, identity.account);
    const declared = declaration.all();
    const perResource = declared.map((resource) => {
      const reader = READERS.get(resource.type);
      return reader === undefined ? Promise.resolve([]) : resourceRows(ctx, resource, reader);
    });
    const rows = (await Promise.all(perResource)).flat();
    const unread = [...new Set(declared.map((r) => r.type).filter((type) => !READERS.has(type)))];
    return {
      account: identity.account,
      rows,
      notShown: unread.map((type) => `${type}: the verifier has no reader for this type`),
      buckets,
      distributions: distributionTargets(input.synthesized, index),
    };
  } finally {
    clients.destroy();
  }
}
