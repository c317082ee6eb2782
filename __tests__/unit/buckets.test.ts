import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import {
  BUCKET_CASES,
  SiteFixture,
  blockOf,
  expectedBucketName,
  refOf,
  resourcesOfType,
  synthSite,
} from "./helpers/site-fixture";
import { nonEmpty } from "./helpers/non-empty";

describe("the buckets", () => {
  let site: SiteFixture;
  beforeAll(() => {
    site = synthSite();
  });

  it("are exactly four: primary, replica and one log bucket per region", () => {
    expect(
      Object.values(resourcesOfType(site, S3Bucket.tfResourceType))
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(BUCKET_CASES.map((b) => expectedBucketName(site, b)).sort());
  });

  describe.each(BUCKET_CASES)("the $role bucket", (bucketCase) => {
    const { provider } = bucketCase;
    const bucketRef = () => refOf(site, bucketCase.bucket(site.stack).bucket, "id");

    it(`is declared through ${provider} with force_destroy off`, () => {
      expect(site.synthesized).toHaveResourceWithProperties(S3Bucket, {
        bucket: expectedBucketName(site, bucketCase),
        provider,
        force_destroy: false,
      });
    });

    it("enforces bucket-owner object ownership, so ACLs are disabled", () => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
        bucket: bucketRef(),
        provider,
        rule: { object_ownership: "BucketOwnerEnforced" },
      });
    });

    it("blocks public ACLs and policies with all four public access block flags", () => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        bucket: bucketRef(),
        provider,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    it("enables versioning", () => {
      expect(site.synthesized).toHaveResourceWithProperties(S3BucketVersioningA, {
        bucket: bucketRef(),
        provider,
        versioning_configuration: { status: "Enabled" },
      });
    });

    if (bucketCase.kind === "site") {
      it("encrypts with SSE-KMS under the key of its own region, with the S3 Bucket Key", () => {
        expect(site.synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
          bucket: bucketRef(),
          provider,
          rule: [
            {
              apply_server_side_encryption_by_default: {
                sse_algorithm: "aws:kms",
                kms_master_key_id: refOf(site, bucketCase.key(site.stack).key, "arn"),
              },
              bucket_key_enabled: true,
            },
          ],
        });
      });

      it("names the key by ARN, the form S3 resolves in the bucket owner's account", () => {
        const encryption = blockOf(site, bucketCase.bucket(site.stack).encryption);
        const keyId: string = encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id;
        expect(keyId).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
      });
    } else {
      // S3 server access log delivery writes with SSE-S3: it is the encryption AWS documents for
      // log destination buckets without extra grants (SSE-KMS would need the logging service
      // principal in a customer-managed key's policy, and the aws/s3 managed key is refused).
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      it("encrypts with SSE-S3 (AES256), which S3 log delivery can write to, and no KMS key", () => {
        expect(site.synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
          bucket: bucketRef(),
          provider,
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
        });
      });
    }
  });
});

describe("data protection", () => {
  it("puts prevent_destroy on every bucket and key when protectData is true (the default)", () => {
    const site = synthSite();
    expect(site.settings.protectData).toBe(true);
    for (const type of [S3Bucket.tfResourceType, KmsKey.tfResourceType]) {
      for (const block of nonEmpty(Object.values(resourcesOfType(site, type)), type)) {
        expect(block.lifecycle).toEqual({ prevent_destroy: true });
      }
    }
  });

  it("leaves every bucket and key without prevent_destroy when protectData is false", () => {
    const site = synthSite({ protectData: false });
    for (const type of [S3Bucket.tfResourceType, KmsKey.tfResourceType]) {
      for (const block of nonEmpty(Object.values(resourcesOfType(site, type)), type)) {
        expect(block.lifecycle?.prevent_destroy ?? false).toBe(false);
      }
    }
    expect(site.synthesized).not.toHaveResourceWithProperties(S3Bucket, { lifecycle: { prevent_destroy: true } });
    expect(site.synthesized).not.toHaveResourceWithProperties(KmsKey, { lifecycle: { prevent_destroy: true } });
  });

  it("keeps force_destroy off even when protectData is false", () => {
    const site = synthSite({ protectData: false });
    for (const block of nonEmpty(Object.values(resourcesOfType(site, S3Bucket.tfResourceType)), "bucket")) {
      expect(block.force_destroy).toBe(false);
    }
  });
});
