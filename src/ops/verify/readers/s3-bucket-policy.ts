import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_s3_bucket_policy`: the document as S3 returns it (compared by meaning). */
export const s3PolicyReader: ResourceReader = {
  type: "aws_s3_bucket_policy",
  async read(ctx, target) {
    const bucket = declaredString(target, "bucket");
    const live = await unlessAbsent(
      () => ctx.clients.s3(target.region).send(new GetBucketPolicyCommand({ Bucket: bucket })),
      ["NoSuchBucketPolicy"],
    );
    return live?.Policy === undefined ? undefined : { bucket, policy: live.Policy };
  },
};
