import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import {
  BUCKET_CASES,
  Block,
  SiteFixture,
  addressOf,
  blockOf,
  refOf,
  resourcesOfType,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

const SITE_BUCKETS = nonEmpty(
  BUCKET_CASES.filter((b) => b.kind === "site"),
  "site bucket",
);
const LOG_BUCKETS = nonEmpty(
  BUCKET_CASES.filter((b) => b.kind === "log"),
  "log bucket",
);

/** The rules a site bucket must have, in Terraform JSON. */
function siteRules(transitionDays: number, storageClass: string, expirationDays: number, abortDays: number) {
  return [
    {
      id: "archive-then-expire-noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrent_version_transition: [{ noncurrent_days: transitionDays, storage_class: storageClass }],
      noncurrent_version_expiration: [{ noncurrent_days: expirationDays }],
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{}],
      abort_incomplete_multipart_upload: [{ days_after_initiation: abortDays }],
    },
    {
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: [{}],
      expiration: [{ expired_object_delete_marker: true }],
    },
  ];
}

/** The rules a log bucket must have: logs expire after the retention, then their noncurrent versions. */
function logRules(retentionDays: number, abortDays: number) {
  return [
    {
      id: "expire-logs",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: retentionDays }],
      noncurrent_version_expiration: [{ noncurrent_days: 1 }],
    },
    siteRules(30, "GLACIER", 365, abortDays)[1],
    siteRules(30, "GLACIER", 365, abortDays)[2],
  ];
}

describe("lifecycle rules with the default settings", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it.each(SITE_BUCKETS)(
    "archive noncurrent versions of the $role bucket to GLACIER after 30 days, delete them after 365, abort uploads after 7 days and remove expired delete markers",
    (bucket) => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        bucket: refOf(site, bucket.bucket(site.stack).bucket, "id"),
        provider: bucket.provider,
        rule: siteRules(30, "GLACIER", 365, 7),
      });
    },
  );

  it.each(LOG_BUCKETS)("expire the $role bucket's logs after the 90-day retention", (bucket) => {
    expect(site.synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      bucket: refOf(site, bucket.bucket(site.stack).bucket, "id"),
      provider: bucket.provider,
      rule: logRules(90, 7),
    });
  });

  it.each(BUCKET_CASES)("apply to the $role bucket only once its versioning is enabled", (bucket) => {
    const secure = bucket.bucket(site.stack);
    expect(blockOf(site, secure.lifecycleConfiguration).depends_on).toEqual([addressOf(site, secure.versioning)]);
  });

  it("select every object with an empty filter block in every rule", () => {
    const rules: Block[] = Object.values(resourcesOfType(site, S3BucketLifecycleConfiguration.tfResourceType)).flatMap(
      (l) => l.rule,
    );
    expect(rules.length).toBe(12);
    for (const rule of rules) {
      expect({ id: rule.id, filter: rule.filter, prefix: rule.prefix }).toEqual({
        id: rule.id,
        filter: [{}],
        prefix: undefined,
      });
    }
  });

  it("never expire the current versions of the site buckets: they are the site", () => {
    for (const bucket of SITE_BUCKETS) {
      const rules: Block[] = blockOf(site, bucket.bucket(site.stack).lifecycleConfiguration).rule;
      const dayExpirations = rules.flatMap((r) => r.expiration ?? []).filter((e: Block) => e.days !== undefined);
      expect(dayExpirations).toEqual([]);
    }
  });

  it("never combine days with expired_object_delete_marker in one expiration (S3 refuses it)", () => {
    const rules: Block[] = Object.values(resourcesOfType(site, S3BucketLifecycleConfiguration.tfResourceType)).flatMap(
      (l) => l.rule,
    );
    for (const expiration of nonEmpty(
      rules.flatMap((r) => r.expiration ?? []),
      "expiration",
    )) {
      expect(expiration.days !== undefined && expiration.expired_object_delete_marker !== undefined).toBe(false);
    }
  });
});

describe("lifecycle rules with configured days, class and retention", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite({
      lifecycle: {
        noncurrentTransitionDays: 45,
        noncurrentStorageClass: "DEEP_ARCHIVE",
        noncurrentExpirationDays: 400,
        abortIncompleteMultipartUploadDays: 3,
      },
      logging: { retentionDays: 30 },
    });
  });

  it.each(SITE_BUCKETS)(
    "use the configured transition, class, expiration and abort days on the $role bucket",
    (bucket) => {
      expect(blockOf(site, bucket.bucket(site.stack).lifecycleConfiguration).rule).toEqual(
        siteRules(45, "DEEP_ARCHIVE", 400, 3),
      );
    },
  );

  it.each(LOG_BUCKETS)("expire the $role bucket's logs after the configured retention", (bucket) => {
    expect(blockOf(site, bucket.bucket(site.stack).lifecycleConfiguration).rule).toEqual(logRules(30, 3));
  });
});
