import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { unlessAbsent } from "../../aws-call";
import { ResourceReader, declaredString, undeclaredRow } from "./reader";

/** `aws_iam_role`: trust policy, name, path, boundary, description, tags. */
export const iamRoleReader: ResourceReader = {
  type: "aws_iam_role",
  taggable: true,
  async read(ctx, target) {
    const RoleName = declaredString(target, "name");
    const live = await unlessAbsent(
      () => ctx.clients.iam(target.region).send(new GetRoleCommand({ RoleName })),
      ["NoSuchEntity", "NoSuchEntityException"],
    );
    const role = live?.Role;
    if (role === undefined) return undefined;
    return {
      name: role.RoleName,
      path: role.Path,
      description: role.Description,
      assume_role_policy: role.AssumeRolePolicyDocument,
      max_session_duration: role.MaxSessionDuration,
      permissions_boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
      tags_all: Object.fromEntries((role.Tags ?? []).map((tag) => [String(tag.Key), String(tag.Value)])),
    };
  },
  /** Inline policies and attached managed policies beyond the declared ones (first page: 100 of each). */
  async undeclared(ctx, target) {
    const RoleName = declaredString(target, "name");
    const iam = ctx.clients.iam(target.region);
    const { declaration } = ctx;
    const ofRole = (type: string) =>
      declaration.resources(type).filter((r) => declaration.resolvedString(r, "role") === RoleName);
    const inline = new Set(ofRole("aws_iam_role_policy").map((r) => declaration.resolvedString(r, "name")));
    const attached = new Set(
      ofRole("aws_iam_role_policy_attachment").map((r) => declaration.resolvedString(r, "policy_arn")),
    );
    const [names, attachments] = await Promise.all([
      iam.send(new ListRolePoliciesCommand({ RoleName, MaxItems: 100 })),
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName, MaxItems: 100 })),
    ]);
    return [
      ...(names.PolicyNames ?? [])
        .filter((name) => !inline.has(name))
        .map((name) => undeclaredRow(target, "inline policy", name)),
      ...(attachments.AttachedPolicies ?? [])
        .filter((policy) => !attached.has(policy.PolicyArn))
        .map((policy) => undeclaredRow(target, "attached managed policy", String(policy.PolicyArn))),
    ];
  },
};
