import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { stateBucketNames, stateKeyAlias } from "../../config/names";
import { Settings, stateObjectKey, stateRegion } from "../../config/schema";
import { defaultTags } from "../../config/tags";
import { requireTerraformVersion } from "./terraform-version";
import { AccountIdentity } from "../constructs/account-identity";
import { logLifecycleRules, stateLifecycleRules } from "../constructs/lifecycle-rules";
import { RegionalKey } from "../constructs/regional-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { keyPolicyFor } from "../policies/key-policy";
import { suppressRules } from "../../rules/suppressions";

/**
 * The bucket that holds the storage stack's Terraform state, under the same house rules as
 * the site buckets: versioned (every state version recoverable), SSE-KMS with its own key and
 * the Bucket Key, public access blocked, TLS-only, access-logged, `prevent_destroy`.
 * Deployed once, before the storage stack switches to `backend.type = "s3"`; its own state
 * stays local (a bucket cannot hold the state that creates it).
 */
export class StateBootstrapStack extends TerraformStack {
  readonly stateBucket: SecureBucket;
  readonly logBucket: SecureBucket;
  readonly key: RegionalKey;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    requireTerraformVersion(this);
    const region = stateRegion(settings);
    const provider = new AwsProvider(this, "state", {
      alias: "state",
      region,
      defaultTags: [{ tags: defaultTags(settings, { Purpose: "terraform-state" }) }],
    });
    const { accountId, partition } = new AccountIdentity(this, "account", { provider });
    const derived = stateBucketNames(settings.project, accountId);
    const stateName = settings.backend.type === "s3" ? settings.backend.bucket : derived.state;
    const preventDestroy = settings.protectData;
    const prefix = "state/";

    this.key = new RegionalKey(this, "state-key", {
      provider,
      aliasName: stateKeyAlias(settings.project),
      description: `Terraform state encryption key for ${settings.project}`,
      deletionWindowInDays: settings.kmsDeletionWindowDays,
      // Only callers with IAM permissions (Terraform's role) use this key, through S3.
      policy: keyPolicyFor({ partition, accountId, allowCloudFront: false, allowS3Replication: false }),
      preventDestroy,
    });
    this.logBucket = new SecureBucket(this, "state-log-bucket", {
      provider,
      bucketName: derived.logs,
      partition,
      accountId,
      encryption: { kind: "s3-managed" },
      lifecycleRules: logLifecycleRules(
        settings.logging.retentionDays,
        settings.lifecycle.abortIncompleteMultipartUploadDays,
      ),
      receivesLogsFrom: { bucketName: stateName, prefix },
      preventDestroy,
    });
    this.stateBucket = new SecureBucket(this, "state-bucket", {
      provider,
      bucketName: stateName,
      partition,
      accountId,
      encryption: { kind: "kms", key: this.key },
      lifecycleRules: stateLifecycleRules(
        stateObjectKey(settings),
        settings.lifecycle.abortIncompleteMultipartUploadDays,
      ),
      accessLogs: { bucket: this.logBucket, prefix },
      preventDestroy,
    });

    suppressRules(this.stateBucket, [
      {
        id: "SITE-S3-007",
        reason:
          "The Terraform state bucket is single-region by design: every state version is kept, and a state lost with its region can be rebuilt with terraform import.",
      },
    ]);

    new TerraformOutput(this, "state_bucket_name", {
      value: this.stateBucket.bucket.bucket,
      description: 'Put this in site.config.json: "backend": { "type": "s3", "bucket": <this> }',
    }).overrideLogicalId("state_bucket_name");
    new TerraformOutput(this, "state_region", { value: region }).overrideLogicalId("state_region");
    new TerraformOutput(this, "state_key_arn", { value: this.key.arn }).overrideLogicalId("state_key_arn");
  }
}
