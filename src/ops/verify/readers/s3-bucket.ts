import {
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketWebsiteCommand,
  HeadBucketCommand,
} from "@aws-sdk/client-s3";
import type { VerifyContext } from "../context";
import { unlessAbsent } from "../../aws-call";
import { show } from "../compare";
import { VerifyRow } from "../row";
import { ReadTarget, ResourceReader, declaredString, undeclaredRow } from "./reader";

/**
 * S3's region from `GetBucketLocation`: us-east-1 answers with no constraint, and the legacy
 * "EU" means eu-west-1.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
function regionFromLocation(constraint: string | undefined | null): string {
  if (constraint === undefined || constraint === null || constraint === "") return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

/** Replication, website hosting, CORS and ACL grants on a bucket that declares none of them. */
async function undeclared(ctx: VerifyContext, target: ReadTarget): Promise<VerifyRow[]> {
  const Bucket = declaredString(target, "bucket");
  const s3 = ctx.clients.s3(target.region);
  // Each read only when the stack declares no such configuration for the bucket.
  const { declaration } = ctx;
  const declares = (type: string) =>
    declaration.resources(type).some((r) => declaration.resolvedString(r, "bucket") === Bucket);
  const unlessDeclared = <T>(type: string, read: () => Promise<T>, absent: readonly string[] = []) =>
    declares(type) ? undefined : unlessAbsent(read, absent);
  const [replication, website, cors, acl] = await Promise.all([
    unlessDeclared(
      "aws_s3_bucket_replication_configuration",
      () => s3.send(new GetBucketReplicationCommand({ Bucket })),
      ["ReplicationConfigurationNotFoundError"],
    ),
    unlessDeclared("aws_s3_bucket_website_configuration", () => s3.send(new GetBucketWebsiteCommand({ Bucket })), [
      "NoSuchWebsiteConfiguration",
    ]),
    unlessDeclared("aws_s3_bucket_cors_configuration", () => s3.send(new GetBucketCorsCommand({ Bucket })), [
      "NoSuchCORSConfiguration",
    ]),
    unlessDeclared("aws_s3_bucket_acl", () => s3.send(new GetBucketAclCommand({ Bucket }))),
  ]);
  const rows: VerifyRow[] = [];
  for (const rule of replication?.ReplicationConfiguration?.Rules ?? []) {
    const where = `${rule.Status ?? ""} to ${rule.Destination?.Bucket ?? "?"}`;
    rows.push(undeclaredRow(target, `replication rule ${rule.ID ?? "(no id)"}`, where));
  }
  if (website !== undefined) {
    const site = website.RedirectAllRequestsTo ?? website.IndexDocument ?? "website hosting on";
    rows.push(undeclaredRow(target, "website configuration", show(site)));
  }
  for (const [i, rule] of (cors?.CORSRules ?? []).entries()) {
    const allows = show({ origins: rule.AllowedOrigins, methods: rule.AllowedMethods });
    rows.push(undeclaredRow(target, `cors rule #${i + 1}`, allows));
  }
  // The owner's own FULL_CONTROL is every bucket's ACL; any other grant opens access.
  const ownerId = acl?.Owner?.ID;
  for (const grant of acl?.Grants ?? []) {
    const grantee = grant.Grantee;
    if (grantee?.Type === "CanonicalUser" && grantee.ID === ownerId && grant.Permission === "FULL_CONTROL") continue;
    const who = grantee?.URI ?? grantee?.ID ?? grantee?.EmailAddress ?? "?";
    rows.push(undeclaredRow(target, "acl grant", `${grant.Permission ?? "?"} to ${who}`));
  }
  return rows;
}

/** `aws_s3_bucket`: it exists, in its provider's region, with its tags. */
export const s3BucketReader: ResourceReader = {
  type: "aws_s3_bucket",
  unreadable: ["force_destroy"],
  taggable: true,
  expectations: (target) => ({ region: target.region }),
  async read(ctx, target) {
    const Bucket = declaredString(target, "bucket");
    const s3 = ctx.clients.s3(target.region);
    const head = await unlessAbsent(() => s3.send(new HeadBucketCommand({ Bucket })), ["NotFound", "NoSuchBucket"]);
    if (head === undefined) return undefined;
    const [location, tagging] = await Promise.all([
      s3.send(new GetBucketLocationCommand({ Bucket })),
      unlessAbsent(() => s3.send(new GetBucketTaggingCommand({ Bucket })), ["NoSuchTagSet"]),
    ]);
    const tags = Object.fromEntries((tagging?.TagSet ?? []).map((tag) => [String(tag.Key), String(tag.Value)]));
    return { bucket: Bucket, region: regionFromLocation(location.LocationConstraint), tags_all: tags };
  },
  undeclared,
};
