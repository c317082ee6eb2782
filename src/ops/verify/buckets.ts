import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionRule,
} from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { jsonBlock } from "./declaration";
import { callAws, foundOf } from "./aws-call";
import { NOT_SET, checkRow } from "./check-row";

/**
 * The house invariants of every bucket, fixed by the project (SecureBucket), not per deployment:
 * versioning on, all four public-access-block flags, ACLs off. Site buckets also encrypt with
 * SSE-KMS under the same-region key with the S3 Bucket Key (the runbook's own verification).
 */
const BUCKET_INVARIANTS = {
  versioning: "Enabled",
  objectOwnership: "BucketOwnerEnforced",
  publicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  },
  siteEncryption: { algorithm: "aws:kms", bucketKeyEnabled: true },
} as const;

const PAB_FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

/** The four flags in one cell: `BlockPublicAcls=true, …`. */
function describePublicAccessBlock(config: PublicAccessBlockConfiguration | undefined): string {
  return PAB_FLAGS.map((flag) => `${flag}=${config?.[flag] === true}`).join(", ");
}

/** What the default-encryption rows expect: the invariant for site buckets, the declaration for log buckets. */
function expectedEncryption(
  ctx: VerifyContext,
  bucket: BucketTarget,
): { algorithm: string; key: string; bucketKey: string } {
  if (bucket.kind === "site") {
    return {
      algorithm: BUCKET_INVARIANTS.siteEncryption.algorithm,
      key: bucket.keyArn ?? NOT_SET,
      bucketKey: String(BUCKET_INVARIANTS.siteEncryption.bucketKeyEnabled),
    };
  }
  const declared = ctx.declaration.oneForBucket("aws_s3_bucket_server_side_encryption_configuration", bucket.name);
  const rule = declared ? jsonBlock(ctx.declaration.resolved(declared, "rule")) : undefined;
  const byDefault = rule ? jsonBlock(rule.apply_server_side_encryption_by_default) : undefined;
  return {
    algorithm: byDefault?.sse_algorithm === undefined ? "(not declared)" : String(byDefault.sse_algorithm),
    key: byDefault?.kms_master_key_id === undefined ? NOT_SET : String(byDefault.kms_master_key_id),
    // S3's default when the rule does not say.
    bucketKey: String(rule?.bucket_key_enabled === true),
  };
}

/**
 * Region, default encryption (algorithm, key, Bucket Key), versioning, public access block and
 * object ownership of one bucket.
 */
export async function checkBucketSettings(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const s3 = ctx.clients.s3(bucket.region);
  const Bucket = bucket.name;
  const [location, encryption, versioning, publicAccess, ownership] = await Promise.all([
    ctx.location(bucket.name, bucket.region),
    callAws(
      async () =>
        (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules ?? [],
    ),
    callAws(async () => (await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status),
    callAws(async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration),
    callAws(
      async () => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules ?? [],
    ),
  ]);
  const expected = expectedEncryption(ctx, bucket);
  // S3 applies one default-encryption rule; more than one is reported, not silently ignored.
  const ruleCell = (pick: (rule: ServerSideEncryptionRule) => string | undefined): string =>
    foundOf(encryption, (rules) =>
      rules.length === 0
        ? NOT_SET
        : `${pick(rules[0]) ?? NOT_SET}${rules.length > 1 ? ` (+${rules.length - 1} more rules)` : ""}`,
    );
  return [
    checkRow(
      "bucket region",
      Bucket,
      bucket.region,
      foundOf(location, (region) => region),
    ),
    checkRow(
      "default encryption: algorithm",
      Bucket,
      expected.algorithm,
      ruleCell((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm),
    ),
    checkRow(
      "default encryption: key",
      Bucket,
      expected.key,
      ruleCell((r) => r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID),
    ),
    checkRow(
      "default encryption: Bucket Key",
      Bucket,
      expected.bucketKey,
      ruleCell((r) => String(r.BucketKeyEnabled === true)),
    ),
    checkRow(
      "versioning",
      Bucket,
      BUCKET_INVARIANTS.versioning,
      foundOf(versioning, (status) => status ?? "(never enabled)"),
    ),
    checkRow(
      "public access block",
      Bucket,
      describePublicAccessBlock(BUCKET_INVARIANTS.publicAccessBlock),
      publicAccess.ok || publicAccess.code !== "NoSuchPublicAccessBlockConfiguration"
        ? foundOf(publicAccess, describePublicAccessBlock)
        : "(no public access block)",
    ),
    checkRow(
      "object ownership",
      Bucket,
      BUCKET_INVARIANTS.objectOwnership,
      foundOf(ownership, (rules) => rules[0]?.ObjectOwnership ?? NOT_SET),
    ),
  ];
}
