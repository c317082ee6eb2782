import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KMS_DELETION_WINDOW } from "../../config/aws-facts";
import { PolicyDocument, renderPolicy } from "../policies/document";
import { PropError } from "./prop-error";

/** Props of {@link RegionalKey}. */
export interface RegionalKeyProps {
  /** The provider of the key's region. KMS keys are regional: the key serves this region only. */
  readonly provider: AwsProvider;
  /** Alias, including the `alias/` prefix, e.g. `alias/portfolio-site-primary`. */
  readonly aliasName: string;
  /** Human-readable description; name the bucket the key protects. */
  readonly description: string;
  /**
   * The key policy (see `keyPolicyFor`), declared as its own `aws_kms_key_policy`. It may name
   * resources made after the key (the distribution that may decrypt): Terraform then creates the
   * key first and puts the policy once they exist.
   */
  readonly policy: PolicyDocument;
  /**
   * Days between scheduling deletion and the key being deleted: a whole number from 7 to 30
   * (KMS `PendingWindowInDays`); anything else throws.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Terraform `prevent_destroy` on the key: no plan may delete or replace it.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A symmetric customer-managed KMS key with yearly automatic rotation (KMS.4, CKV_AWS_7), its
 * key policy (CKV2_AWS_64) and an alias, all in one region. Creates exactly an `aws_kms_key`,
 * an `aws_kms_key_policy` and an `aws_kms_alias`.
 *
 * The policy is never also set as `policy` on `aws_kms_key`: the provider's documentation of the
 * two arguments warns against managing one key's policy in both places, where each overwrites what
 * the other puts (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/kms_key_policy,
 * https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/kms_key#policy).
 * Moving an existing key's policy here replaces nothing: `policy` on `aws_kms_key` is Optional
 * and Computed in provider 5.100.0 (`terraform providers schema -json`), so once it is left out
 * the key keeps the value it reads, and the new resource puts the same document.
 */
export class RegionalKey extends Construct {
  /** The key. */
  readonly key: KmsKey;
  /** Its policy. */
  readonly policy: KmsKeyPolicy;
  /** Its alias. */
  readonly alias: KmsAlias;
  /** The provider of the key's region: what uses the key must be of this region. */
  readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: RegionalKeyProps) {
    super(scope, id);
    const deletionWindow = props.deletionWindowInDays ?? 30;
    if (
      !Number.isInteger(deletionWindow) ||
      deletionWindow < KMS_DELETION_WINDOW.min ||
      deletionWindow > KMS_DELETION_WINDOW.max
    ) {
      throw new PropError(
        this,
        "deletionWindowInDays",
        deletionWindow,
        `must be a whole number of days from ${KMS_DELETION_WINDOW.min} to ${KMS_DELETION_WINDOW.max} (KMS PendingWindowInDays)`,
      );
    }
    this.provider = props.provider;
    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.policy = new KmsKeyPolicy(this, "policy", {
      provider: props.provider,
      keyId: this.key.keyId,
      policy: renderPolicy(props.policy),
    });
    this.alias = new KmsAlias(this, "alias", {
      provider: props.provider,
      name: props.aliasName,
      targetKeyId: this.key.keyId,
    });
  }

  /** The key's ARN: what S3 encryption and replication settings must reference (not the alias). */
  get arn(): string {
    return this.key.arn;
  }
}
