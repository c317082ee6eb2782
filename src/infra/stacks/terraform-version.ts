import { TerraformStack } from "cdktf";

/**
 * The oldest Terraform every stack accepts. S3 native state locking (`use_lockfile`) became
 * generally available in Terraform 1.11; in 1.10 it was experimental.
 * https://developer.hashicorp.com/terraform/language/backend/s3#state-locking
 */
const MINIMUM_TERRAFORM_VERSION = "1.11";

/**
 * Declares `required_version = ">= 1.11"` on the stack, so an older Terraform stops at init
 * with its own message instead of failing later on a setting it does not know.
 */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}`);
}
