import { TerraformStack, Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { parseSettings } from "../../src/config/load";
import { ConfigError } from "../../src/config/errors";
import { SettingsInput } from "../../src/config/schema";
import { buildApp } from "../../src/infra/app";
import { STATE_HISTORY } from "../../src/infra/constructs/lifecycle-rules";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { StateBootstrapStack } from "../../src/infra/stacks/state-bootstrap-stack";
import { nonEmpty } from "./helpers/non-empty";

function synthStorage(input: SettingsInput): { terraform: Record<string, unknown> } {
  const settings = parseSettings(input);
  return JSON.parse(Testing.synth(new SiteStorageStack(Testing.app(), "site-storage", settings)));
}

function problemsOf(input: SettingsInput): string[] {
  try {
    parseSettings(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the state backend", () => {
  it("keeps cdktf's local backend when none is configured", () => {
    const synth = synthStorage({});
    expect(synth.terraform.backend).toBeUndefined();
  });

  it("keeps the local state in the file backend.path names, taken from the project folder when relative", () => {
    expect(
      synthStorage({ backend: { type: "local", path: "/srv/emulator/terraform.site-storage.tfstate" } }).terraform
        .backend,
    ).toEqual({ local: { path: "/srv/emulator/terraform.site-storage.tfstate" } });
    expect(synthStorage({ backend: { type: "local", path: "state/site.tfstate" } }).terraform.backend).toEqual({
      local: { path: `${process.cwd()}/state/site.tfstate` },
    });
    expect(problemsOf({ backend: { type: "local", path: "" } })).toEqual([
      expect.stringContaining('backend.path (got ""): must name a file'),
    ]);
  });

  it("writes an S3 backend with native locking that sends no encryption header, so the bucket's SSE-KMS default applies", () => {
    const synth = synthStorage({
      backend: { type: "s3", bucket: "acme-tfstate-123456789012", key: "prod/site.tfstate" },
    });
    // `encrypt = true` without `kms_key_id` would make the backend send AES256 on every PUT,
    // overriding the state bucket's SSE-KMS default with the state key.
    expect(synth.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tfstate-123456789012",
        key: "prod/site.tfstate",
        region: "us-east-1",
        use_lockfile: true,
      },
    });
  });

  it("encrypts with the configured KMS key, naming it with encrypt on, when backend.kmsKeyArn is given", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/0f6b6b0e-0b4a-4b8e-9a39-2f1d3c4b5a69";
    const synth = synthStorage({ backend: { type: "s3", bucket: "acme-state", region: "eu-west-1", kmsKeyArn } });
    expect(synth.terraform.backend).toEqual({
      s3: expect.objectContaining({ region: "eu-west-1", encrypt: true, kms_key_id: kmsKeyArn, use_lockfile: true }),
    });
  });

  it("makes every stack require Terraform 1.11, where S3 native locking is generally available", () => {
    const settings = parseSettings({
      backend: { type: "s3", bucket: "acme-state" },
      ci: { githubRepository: "acme/site" },
    });
    const app = Testing.app();
    buildApp(app, settings);
    const stacks = app.node.children.filter(TerraformStack.isStack);
    expect(stacks.map((stack) => stack.node.id).sort()).toEqual(["site-ci", "site-state", "site-storage"]);
    for (const stack of stacks) {
      expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe(">= 1.11");
    }
  });

  it("rejects an S3 backend without a bucket, naming the field and where the name comes from", () => {
    expect(problemsOf({ backend: { type: "s3" } as never })).toEqual([
      expect.stringMatching(/^ {2}- backend\.bucket: is required when backend\.type is "s3"/),
    ]);
  });

  it("rejects bad backend settings, each with its field and rule", () => {
    const problems = problemsOf({
      backend: { type: "s3", bucket: "Bad_Bucket", key: "/leading/slash", region: "moon-1", kmsKeyArn: "alias/x" },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'backend.bucket (got "Bad_Bucket"): an S3 bucket name may contain only lowercase letters',
        ),
        expect.stringContaining('backend.key (got "/leading/slash"): must be an S3 key'),
        expect.stringContaining('backend.region (got "moon-1"): must be a known AWS region'),
        expect.stringContaining('backend.kmsKeyArn (got "alias/x"): must be a KMS key ARN'),
      ]),
    );
  });

  it("rejects an unknown backend type", () => {
    expect(problemsOf({ backend: { type: "gcs" } as never })).toEqual([
      expect.stringContaining('backend.type (got "gcs"): must be "local" or "s3"'),
    ]);
  });
});

describe("the state bootstrap stack", () => {
  const synthBootstrap = (input: SettingsInput) =>
    Testing.synth(new StateBootstrapStack(Testing.app(), "site-state", parseSettings(input)));

  it("names the state bucket after the project and the account read from AWS until one is configured", () => {
    expect(synthBootstrap({ project: "acme" })).toHaveResourceWithProperties(S3Bucket, {
      bucket: expect.stringMatching(/^acme-tfstate-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/),
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("creates exactly the configured state bucket once the backend names it", () => {
    const synth = synthBootstrap({ backend: { type: "s3", bucket: "acme-state-bucket", region: "eu-west-1" } });
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-state-bucket", provider: "aws.state" });
    const providers = JSON.parse(synth).provider.aws;
    expect(providers).toEqual([expect.objectContaining({ alias: "state", region: "eu-west-1" })]);
  });

  it("encrypts the state with its own rotating key whose policy grants no service", () => {
    const synth = synthBootstrap({});
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    const key = Object.values(JSON.parse(synth).resource.aws_kms_key_policy)[0] as { policy: string };
    const statements = JSON.parse(key.policy).Statement as { Sid: string; Principal: unknown }[];
    expect(statements.map((s) => s.Sid)).toEqual(["AllowAccountRootFullAccess"]);
  });
});

describe("the state bucket's lifecycle", () => {
  const rulesOf = (input: SettingsInput) => {
    const synth = JSON.parse(Testing.synth(new StateBootstrapStack(Testing.app(), "site-state", parseSettings(input))));
    const lifecycle = Object.values(
      synth.resource.aws_s3_bucket_lifecycle_configuration as Record<
        string,
        { bucket: string; rule: Record<string, unknown>[] }
      >,
    ).find((l) => l.bucket.includes("state-bucket"));
    if (lifecycle === undefined) throw new Error("no lifecycle configuration on the state bucket");
    return lifecycle.rule;
  };

  it("keeps old states in STANDARD: no rule moves a version to another storage class", () => {
    for (const rule of nonEmpty(rulesOf({}), "state bucket lifecycle rule")) {
      expect({
        id: rule.id,
        transitions: rule.noncurrent_version_transition ?? [],
        moves: rule.transition ?? [],
      }).toEqual({ id: rule.id, transitions: [], moves: [] });
    }
  });

  it("expires noncurrent states after some days, always keeping the newest ones, within S3's limit of 100", () => {
    expect(STATE_HISTORY.newerNoncurrentVersions).toBeLessThanOrEqual(100);
    expect(rulesOf({})).toContainEqual(
      expect.objectContaining({
        id: "keep-recent-states",
        status: "Enabled",
        filter: [{}],
        noncurrent_version_expiration: [
          {
            noncurrent_days: STATE_HISTORY.noncurrentDays,
            newer_noncurrent_versions: STATE_HISTORY.newerNoncurrentVersions,
          },
        ],
      }),
    );
  });

  it("expires released lock files of the configured state key after a day, then removes their delete markers", () => {
    const rules = rulesOf({ backend: { type: "s3", bucket: "acme-state-bucket", key: "prod/site.tfstate" } });
    expect(rules).toContainEqual(
      expect.objectContaining({
        id: "expire-released-locks",
        status: "Enabled",
        filter: [{ prefix: "prod/site.tfstate.tflock" }],
        noncurrent_version_expiration: [{ noncurrent_days: 1 }],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        id: "remove-expired-delete-markers",
        expiration: [{ expired_object_delete_marker: true }],
      }),
    );
  });

  it("aborts unfinished uploads of the state bucket too", () => {
    expect(rulesOf({ lifecycle: { abortIncompleteMultipartUploadDays: 3 } })).toContainEqual(
      expect.objectContaining({
        id: "abort-incomplete-multipart-uploads",
        abort_incomplete_multipart_upload: [{ days_after_initiation: 3 }],
      }),
    );
  });
});
