import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import { show } from "../compare";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, liveId, undeclaredRow } from "./reader";

/**
 * `aws_kms_key`: description, rotation, policy, tags, and its state (expected Enabled: not an
 * argument, but a disabled key stops every read of the buckets). `deletion_window_in_days` is
 * not readable: KMS returns a window only once deletion is scheduled, when the state fails.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
 */
export const kmsKeyReader: ResourceReader = {
  type: "aws_kms_key",
  unreadable: ["deletion_window_in_days"],
  taggable: true,
  expectations: () => ({ key_state: "Enabled" }),
  async read(ctx, target) {
    const KeyId = liveId(ctx, target, "key_id");
    if (KeyId === undefined) return undefined;
    const kms = ctx.clients.kms(target.region);
    const described = await unlessAbsent(() => kms.send(new DescribeKeyCommand({ KeyId })), ["NotFoundException"]);
    if (described?.KeyMetadata === undefined) return undefined;
    const [rotation, policy, tags] = await Promise.all([
      kms.send(new GetKeyRotationStatusCommand({ KeyId })),
      kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" })),
      kms.send(new ListResourceTagsCommand({ KeyId })),
    ]);
    return {
      description: described.KeyMetadata.Description,
      enable_key_rotation: rotation.KeyRotationEnabled === true,
      key_state: described.KeyMetadata.KeyState,
      policy: policy.Policy,
      tags_all: Object.fromEntries((tags.Tags ?? []).map((tag) => [String(tag.TagKey), String(tag.TagValue)])),
    };
  },
  /** Grants: the stack declares none, and a grant gives its grantee the key without the key policy. */
  async undeclared(ctx, target) {
    const KeyId = liveId(ctx, target, "key_id");
    if (KeyId === undefined) return [];
    const grants = (await ctx.clients.kms(target.region).send(new ListGrantsCommand({ KeyId }))).Grants ?? [];
    return grants.map((grant) =>
      undeclaredRow(
        target,
        `grant ${grant.GrantId ?? ""}`,
        show({ grantee: grant.GranteePrincipal, operations: grant.Operations }),
      ),
    );
  },
};
