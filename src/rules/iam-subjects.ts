/**
 * IAM resources as the rules judge them: a role, or a role, user, group or managed policy, with
 * each policy document it carries read through the one policy model (`src/common/policy.ts`).
 */
import { TerraformResource } from "cdktf";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { ReadPolicy, readPolicy } from "../common/policy";
import { inputBlocks } from "./inputs";

/** One policy document of an IAM resource. */
export interface IamDocument {
  /** The argument it is set in: `assume_role_policy`, `inline_policy "name"`, `policy`. */
  readonly argument: string;
  /** A trust policy says who may assume a role; an identity policy what the holder may do. */
  readonly kind: "trust" | "identity";
  readonly policy: ReadPolicy;
}

/** An IAM resource that carries policy documents (a role, or a role/user/group/managed policy). */
export interface IamSubject {
  readonly resource: IamRole | IamRolePolicy | IamPolicy | IamUserPolicy | IamGroupPolicy;
  readonly documents: readonly IamDocument[];
}

/**
 * The IAM subject of a resource (none when it carries no IAM document). `text` gives a configured
 * value in Terraform syntax, references resolved to `${…}` interpolations.
 */
export function iamSubjectsOf(resource: TerraformResource, text: (value: unknown) => string | undefined): IamSubject[] {
  const identity = (argument: string, policy: string | undefined): IamDocument => ({
    argument,
    kind: "identity",
    policy: readPolicy(text(policy)),
  });
  if (resource instanceof IamRole) {
    const documents: IamDocument[] = [
      {
        argument: "assume_role_policy",
        kind: "trust",
        policy: readPolicy(text(resource.assumeRolePolicyInput)),
      },
    ];
    const inline = inputBlocks(resource.inlinePolicyInput);
    if (inline === undefined) {
      documents.push({
        argument: "inline_policy",
        kind: "identity",
        policy: { readable: false, why: "inline_policy is a Terraform expression" },
      });
    } else {
      for (const p of inline) {
        if (p.policy !== undefined) documents.push(identity(`inline_policy "${p.name ?? ""}"`, p.policy));
      }
    }
    return [{ resource, documents }];
  }
  if (
    resource instanceof IamRolePolicy ||
    resource instanceof IamPolicy ||
    resource instanceof IamUserPolicy ||
    resource instanceof IamGroupPolicy
  ) {
    return [{ resource, documents: [identity("policy", resource.policyInput)] }];
  }
  return [];
}
