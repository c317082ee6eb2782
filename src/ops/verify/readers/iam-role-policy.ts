import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString } from "./reader";

/** `aws_iam_role_policy`: an inline policy of a role, the document as IAM returns it (URL-encoded). */
export const iamRolePolicyReader: ResourceReader = {
  type: "aws_iam_role_policy",
  async read(ctx, target) {
    const RoleName = declaredString(target, "role");
    const PolicyName = declaredString(target, "name");
    const live = await unlessAbsent(
      () => ctx.clients.iam(target.region).send(new GetRolePolicyCommand({ RoleName, PolicyName })),
      ["NoSuchEntity", "NoSuchEntityException"],
    );
    return live === undefined ? undefined : { name: live.PolicyName, role: live.RoleName, policy: live.PolicyDocument };
  },
};
