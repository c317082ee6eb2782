import { resolve } from "node:path";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Settings, stateRegion } from "../../config/schema";

/**
 * Points the stack's state at the configured backend. `local` keeps cdktf's default (a state
 * file beside the project) unless `backend.path` names another file (the emulator's session
 * keeps its state apart this way, so it never touches a real deployment's). `s3` uses the state bucket with S3 native locking: a
 * `<key>.tflock` object written with a conditional PUT, so no DynamoDB table is needed.
 * cdktf 0.21's S3Backend has no `use_lockfile` option, hence the override.
 *
 * Encryption: with `encrypt = true` and no `kms_key_id`, the backend sends
 * `x-amz-server-side-encryption: AES256` on every PUT, state and lock file alike, and that
 * header overrides the bucket's SSE-KMS default (Terraform's
 * `internal/backend/remote-state/s3/client.go`, `PutObject`). So `encrypt` is set only together
 * with `kmsKeyArn`; without one, no header is sent and the state bucket's default encryption
 * (SSE-KMS with the `site-state` key and the Bucket Key) applies. In transit the backend always
 * uses TLS, and the bucket policy refuses anything else.
 */
export function configureBackend(stack: TerraformStack, settings: Settings): void {
  const backend = settings.backend;
  if (backend.type === "local") {
    if (backend.path !== undefined) new LocalBackend(stack, { path: resolve(backend.path) });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: stateRegion(settings),
    ...(backend.kmsKeyArn === undefined ? {} : { encrypt: true, kmsKeyId: backend.kmsKeyArn }),
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
