import { S3Backend, TerraformStack } from "cdktf";
import { Settings, stateRegion } from "../../config/schema";

/**
 * Points the stack's state at the configured backend. `local` keeps cdktf's default (a state
 * file beside the project). `s3` uses the state bucket with S3 native locking: a
 * `<key>.tflock` object written with a conditional PUT, so no DynamoDB table is needed
 * (Terraform 1.10+). cdktf 0.21's S3Backend has no `use_lockfile` option, hence the override.
 * Encryption in transit and at rest is always on.
 */
export function configureBackend(stack: TerraformStack, settings: Settings): void {
  const backend = settings.backend;
  if (backend.type === "local") return;
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: stateRegion(settings),
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
