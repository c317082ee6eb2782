// Where a publish goes: the distribution in front of the primary bucket, found by its origin in
// the list of distributions, and, only with the emulator's difference passed in, by each
// distribution's configuration when the list carries no origins.
import { CloudFrontClient, GetDistributionConfigCommand, ListDistributionsCommand } from "@aws-sdk/client-cloudfront";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { parseSettings } from "../../src/config/load";
import { AwsClients } from "../../src/ops/aws-clients";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { findDistribution, nameTarget, requireBucket } from "../../src/ops/publish/target";

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const cloudfront = mockClient(CloudFrontClient);
const BUCKET = "portfolio-site-primary-123456789012";
const env = { AWS_ACCESS_KEY_ID: "k", AWS_SECRET_ACCESS_KEY: "s", AWS_REGION: "us-east-1" };
const settings = parseSettings({}, "test");
let clients: AwsClients;

beforeEach(() => {
  s3.reset();
  sts.reset();
  cloudfront.reset();
  clients = new AwsClients(env);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012" });
  s3.on(HeadBucketCommand).resolves({});
  // The emulator's answer: summaries without their origins.
  cloudfront.on(ListDistributionsCommand).resolves({
    DistributionList: { IsTruncated: false, Items: [{ Id: "EOTHER" }, { Id: "EMINE" }] } as never,
  });
  const config = (domain: string) => ({
    DistributionConfig: { Origins: { Quantity: 1, Items: [{ DomainName: domain }] } },
  });
  cloudfront
    .on(GetDistributionConfigCommand, { Id: "EOTHER" })
    .resolves(config("other.s3.us-east-1.amazonaws.com") as never);
  cloudfront
    .on(GetDistributionConfigCommand, { Id: "EMINE" })
    .resolves(config(`${BUCKET}.s3.us-east-1.amazonaws.com`) as never);
});
afterEach(() => clients.destroy());

describe("the publish target", () => {
  it("reads each distribution's configuration when the list has no origins, with the emulator's difference", async () => {
    const target = await nameTarget(settings, clients, env);
    expect(target).toEqual({ bucket: BUCKET, region: "us-east-1", account: "123456789012" });
    await requireBucket(clients, target);
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: BUCKET });
    expect(await findDistribution(settings, target, clients, EMULATOR_DIFFERENCES)).toBe("EMINE");
  });

  it("on AWS, trusts the list's origins and reads no configuration", async () => {
    const target = await nameTarget(settings, clients, env);
    expect(await findDistribution(settings, target, clients, [])).toBeUndefined();
    expect(cloudfront.commandCalls(GetDistributionConfigCommand)).toHaveLength(0);
  });
});
