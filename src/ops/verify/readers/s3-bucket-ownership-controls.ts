import { GetBucketOwnershipControlsCommand } from "@aws-sdk/client-s3";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_s3_bucket_ownership_controls`. */
export const s3OwnershipReader: ResourceReader = {
  type: "aws_s3_bucket_ownership_controls",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })),
      ["OwnershipControlsNotFoundError"],
    );
    if (live === undefined) return undefined;
    return {
      bucket,
      rule: (live.OwnershipControls?.Rules ?? []).map((r) => ({ object_ownership: r.ObjectOwnership })),
    };
  },
};
