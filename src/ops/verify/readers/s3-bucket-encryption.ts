import { GetBucketEncryptionCommand } from "@aws-sdk/client-s3";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_s3_bucket_server_side_encryption_configuration`. */
export const s3EncryptionReader: ResourceReader = {
  type: "aws_s3_bucket_server_side_encryption_configuration",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketEncryptionCommand({ Bucket: bucket })),
      ["ServerSideEncryptionConfigurationNotFoundError"],
    );
    if (live === undefined) return undefined;
    const rules = live.ServerSideEncryptionConfiguration?.Rules ?? [];
    return {
      bucket,
      rule: rules.map((rule) => ({
        apply_server_side_encryption_by_default: {
          sse_algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
          kms_master_key_id: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
        },
        bucket_key_enabled: rule.BucketKeyEnabled === true,
      })),
    };
  },
};
