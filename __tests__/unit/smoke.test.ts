import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { parseSettings } from "../../src/config/load";
import { SiteStorageStack } from "../../src/stacks/site-storage-stack";

describe("smoke", () => {
  it("synthesizes buckets", () => {
    const app = Testing.app();
    const stack = new SiteStorageStack(app, "test", parseSettings({}));
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(S3Bucket, { force_destroy: false });
  });
});
