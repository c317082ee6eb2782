import { GetPublicAccessBlockCommand } from "@aws-sdk/client-s3";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_s3_bucket_public_access_block`: the four flags. */
export const s3PublicAccessBlockReader: ResourceReader = {
  type: "aws_s3_bucket_public_access_block",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      ["NoSuchPublicAccessBlockConfiguration"],
    );
    const flags = live?.PublicAccessBlockConfiguration;
    if (flags === undefined) return undefined;
    return {
      bucket,
      block_public_acls: flags.BlockPublicAcls === true,
      block_public_policy: flags.BlockPublicPolicy === true,
      ignore_public_acls: flags.IgnorePublicAcls === true,
      restrict_public_buckets: flags.RestrictPublicBuckets === true,
    };
  },
};
