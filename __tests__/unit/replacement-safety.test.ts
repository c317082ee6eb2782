// A config change that renames or re-addresses a bucket or key makes Terraform replace it:
// for a bucket that is data loss, for a key it orphans every object it encrypted. These tests
// pin what must stay put when only "safe" settings change.
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { BUCKET_CASES, SiteFixture, allResources, blockOf, resourcesOfType, synthSite } from "./helpers/site-fixture";

const SAFE_CHANGES = {
  tags: { Owner: "web-team", Environment: "production" },
  lifecycle: {
    noncurrentTransitionDays: 90,
    noncurrentStorageClass: "DEEP_ARCHIVE",
    noncurrentExpirationDays: 730,
    abortIncompleteMultipartUploadDays: 3,
  },
  logging: { retentionDays: 30 },
  replication: { storageClass: "STANDARD_IA", replicationTimeControl: true },
} as const;

describe("safe config changes", () => {
  let before: SiteFixture;
  let after: SiteFixture;
  beforeAll(() => {
    before = synthSite();
    after = synthSite(SAFE_CHANGES);
  });

  it("really change the synthesized stack (the comparison below is not vacuous)", () => {
    expect(after.synthesized).not.toEqual(before.synthesized);
  });

  it("keep every bucket's logical id and every bucket argument, name included", () => {
    expect(resourcesOfType(after, S3Bucket.tfResourceType)).toEqual(resourcesOfType(before, S3Bucket.tfResourceType));
  });

  it("keep every key's logical id and arguments, and every alias", () => {
    expect(resourcesOfType(after, KmsKey.tfResourceType)).toEqual(resourcesOfType(before, KmsKey.tfResourceType));
    expect(resourcesOfType(after, KmsAlias.tfResourceType)).toEqual(resourcesOfType(before, KmsAlias.tfResourceType));
  });

  it("neither add nor remove any resource", () => {
    const addresses = (site: SiteFixture) =>
      allResources(site)
        .map((r) => r.address)
        .sort();
    expect(addresses(after)).toEqual(addresses(before));
  });
});

describe("changing the project", () => {
  let before: SiteFixture;
  let after: SiteFixture;
  beforeAll(() => {
    before = synthSite();
    after = synthSite({ project: "renamed-site" });
  });

  it.each(BUCKET_CASES)("renames the $role bucket, so Terraform would replace it", (bucket) => {
    const oldName = blockOf(before, bucket.bucket(before.stack).bucket).bucket;
    const newName = blockOf(after, bucket.bucket(after.stack).bucket).bucket;
    expect(newName).not.toBe(oldName);
    expect(newName).toMatch(new RegExp(`^renamed-site-${bucket.infix}-`));
  });

  it("renames the key aliases", () => {
    expect(blockOf(after, after.stack.primaryKey.alias).name).toBe("alias/renamed-site-primary");
    expect(blockOf(after, after.stack.replicaKey.alias).name).toBe("alias/renamed-site-replica");
  });
});
