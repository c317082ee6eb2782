import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { RegionalKey } from "../../src/infra/constructs/regional-key";
import { keyPolicyFor } from "../../src/infra/policies/key-policy";

/** One RegionalKey in a fresh stack, synthesized. */
function synthKey(): {
  stack: TerraformStack;
  key: RegionalKey;
  json: Record<string, Record<string, Record<string, unknown>>>;
} {
  const stack = new TerraformStack(Testing.app(), "test");
  const provider = new AwsProvider(stack, "aws", { region: "eu-west-1", alias: "eu" });
  const key = new RegionalKey(stack, "key", {
    provider,
    aliasName: "alias/test",
    description: "test key",
    policy: keyPolicyFor({ partition: "aws", accountId: "111122223333", allowCloudFront: false }),
  });
  return { stack, key, json: JSON.parse(Testing.synth(stack)).resource };
}

describe("a RegionalKey's policy", () => {
  it("is declared as its own aws_kms_key_policy on the key, through the key's provider", () => {
    const { stack, key, json } = synthKey();
    const policy = Object.values(json.aws_kms_key_policy);
    expect(policy).toHaveLength(1);
    expect(policy[0]).toMatchObject({
      key_id: `\${aws_kms_key.${stack.getLogicalId(key.key)}.key_id}`,
      provider: "aws.eu",
    });
    expect(JSON.parse(String(policy[0].policy)).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "AllowAccountRootFullAccess",
      "AllowS3ReplicationUse",
    ]);
  });

  it("is never also set on the key, where the two would overwrite each other", () => {
    const { json } = synthKey();
    const [key] = Object.values(json.aws_kms_key);
    expect(key).not.toHaveProperty("policy");
    expect(key).toMatchObject({ enable_key_rotation: true });
  });
});
