// The rows drift produces, from what AWS would answer after each hand-made change. AWS is a
// fake here that answers each SDK command from a table; the live version of every drift runs
// on the emulator in e2e/cdktf-deploy.test.ts.
import { AwsClients } from "../../src/ops/aws-clients";
import { checkBucketSettings } from "../../src/ops/verify/buckets";
import { CheckRow } from "../../src/ops/verify/check-row";
import { BucketTarget, VerifyContext } from "../../src/ops/verify/context";
import { Declaration } from "../../src/ops/verify/declaration";
import { VerifyCannotRunError } from "../../src/ops/verify/errors";
import { checkKeys } from "../../src/ops/verify/keys";
import { StateIndex } from "../../src/ops/verify/references";

const BUCKET = "site-primary-111122223333";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/k-1";

/** An AWS error as the SDK throws it. */
function awsError(name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });
}

/** What a healthy deployment answers, by SDK command name. */
const HEALTHY: Record<string, () => unknown> = {
  GetBucketLocationCommand: () => ({ LocationConstraint: undefined }),
  GetBucketEncryptionCommand: () => ({
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
          BucketKeyEnabled: true,
        },
      ],
    },
  }),
  GetBucketVersioningCommand: () => ({ Status: "Enabled" }),
  GetPublicAccessBlockCommand: () => ({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  }),
  GetBucketOwnershipControlsCommand: () => ({
    OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
  }),
  DescribeKeyCommand: () => ({ KeyMetadata: { KeyState: "Enabled", Arn: KEY_ARN } }),
  GetKeyRotationStatusCommand: () => ({ KeyRotationEnabled: true }),
  ListAliasesCommand: () => ({ Aliases: [] }),
};

/** Clients whose every service answers from `answers`, falling back to HEALTHY. */
function fakeAws(answers: Record<string, () => unknown>): AwsClients {
  const client = {
    send: async (command: object) => {
      const answer = answers[command.constructor.name] ?? HEALTHY[command.constructor.name];
      if (answer === undefined) throw new Error(`no answer for ${command.constructor.name}`);
      return answer();
    },
  };
  return { s3: () => client, kms: () => client } as unknown as AwsClients;
}

/** One site bucket and one key, declared as the stack declares them. */
const synthesized = {
  provider: { aws: [{ alias: "primary", region: "us-east-1" }] },
  resource: {
    aws_s3_bucket: { site: { provider: "aws.primary", bucket: BUCKET } },
    aws_kms_key: { key: { provider: "aws.primary", enable_key_rotation: true } },
  },
};
const index = new StateIndex([
  {
    address: "aws_s3_bucket.site",
    mode: "managed",
    type: "aws_s3_bucket",
    name: "site",
    values: { bucket: BUCKET, id: BUCKET },
  },
  {
    address: "aws_kms_key.key",
    mode: "managed",
    type: "aws_kms_key",
    name: "key",
    values: { arn: KEY_ARN, key_id: "k-1", id: "k-1" },
  },
]);

async function rows(answers: Record<string, () => unknown>): Promise<CheckRow[]> {
  const declaration = new Declaration(synthesized, index, "us-east-1");
  const ctx = new VerifyContext(declaration, fakeAws(answers), {}, false);
  const bucket: BucketTarget = {
    role: "primary",
    name: BUCKET,
    kind: "site",
    resource: declaration.resources("aws_s3_bucket")[0],
    region: "us-east-1",
    keyArn: KEY_ARN,
  };
  return [...(await checkBucketSettings(ctx, bucket)), ...(await checkKeys(ctx, [bucket]))];
}

const failed = async (answers: Record<string, () => unknown>) => (await rows(answers)).filter((r) => !r.pass);

describe("the rows drift produces", () => {
  it("are all passing for a healthy deployment", async () => {
    expect(await failed({})).toEqual([]);
  });

  it("name the Bucket Key turned off", async () => {
    expect(
      await failed({
        GetBucketEncryptionCommand: () => ({
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
                BucketKeyEnabled: false,
              },
            ],
          },
        }),
      }),
    ).toEqual([
      { check: "default encryption: Bucket Key", resource: BUCKET, expected: "true", found: "false", pass: false },
    ]);
  });

  it("name a public access block removed", async () => {
    expect(
      await failed({
        GetPublicAccessBlockCommand: () => {
          throw awsError("NoSuchPublicAccessBlockConfiguration");
        },
      }),
    ).toEqual([
      {
        check: "public access block",
        resource: BUCKET,
        pass: false,
        found: "(no public access block)",
        expected: "BlockPublicAcls=true, IgnorePublicAcls=true, BlockPublicPolicy=true, RestrictPublicBuckets=true",
      },
    ]);
  });

  it("name one public access flag turned off", async () => {
    const [row] = await failed({
      GetPublicAccessBlockCommand: () => ({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    });
    expect(row).toMatchObject({
      check: "public access block",
      found: expect.stringContaining("BlockPublicPolicy=false"),
    });
  });

  it("name versioning suspended", async () => {
    expect(await failed({ GetBucketVersioningCommand: () => ({ Status: "Suspended" }) })).toEqual([
      { check: "versioning", resource: BUCKET, expected: "Enabled", found: "Suspended", pass: false },
    ]);
  });

  it("name key rotation disabled", async () => {
    expect(await failed({ GetKeyRotationStatusCommand: () => ({ KeyRotationEnabled: false }) })).toEqual([
      { check: "key rotation", resource: KEY_ARN, expected: "on", found: "off", pass: false },
    ]);
  });

  it("stop as unable to run, not as drift, when AWS refuses a call", async () => {
    const refused = failed({
      GetBucketVersioningCommand: () => {
        throw Object.assign(awsError("AccessDenied"), { $metadata: { httpStatusCode: 403 } });
      },
    });
    await expect(refused).rejects.toThrow(VerifyCannotRunError);
    await expect(refused).rejects.toMatchObject({ reason: "permission" });
  });
});
