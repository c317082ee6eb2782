import { GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/**
 * `aws_kms_key_policy`: the key's one policy, named `default` (the only name KMS accepts), read
 * with GetKeyPolicy. The key's own reader reads the same document, but the stack declares it here.
 * `bypass_policy_lockout_safety_check` only shapes the PutKeyPolicy call: nothing reads it back.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 */
export const kmsKeyPolicyReader: ResourceReader = {
  type: "aws_kms_key_policy",
  unreadable: ["bypass_policy_lockout_safety_check"],
  async read(ctx, target) {
    const KeyId = declaredString(target, "key_id");
    if (KeyId === "" || KeyId.startsWith("(missing")) return undefined;
    const kms = ctx.clients.kms(target.region);
    const found = await unlessAbsent(
      () => kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" })),
      ["NotFoundException"],
    );
    if (found?.Policy === undefined) return undefined;
    return { key_id: KeyId, policy: found.Policy };
  },
};
