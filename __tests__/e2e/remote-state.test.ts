// Remote state and the CI's path end to end, on the emulator:
// 1. an administrator bootstraps the state bucket (`site-state`), then the CI roles (`site-ci`);
// 2. the CI's plan step, `npm run plan`, plans the storage stack with the S3 backend;
// 3. the plan folder travels as CI carries it (every file mode 0644, no .terraform) into a
//    fresh folder, and the CI's apply step, `npm run apply`, applies from there; while it holds
//    the lock a second plan is refused;
// 4. the state and the lock file are encrypted with the state key, and the lock is released.
//
// Emulator only: moto enforces the state bucket's TLS-only deny with its conditions ignored, so
// every object call of the backend would be refused over the emulator's plain HTTP. The test
// lifts that one policy after the bootstrap (named in the emulator differences as
// bucket-policy-conditions-ignored); against AWS the backend speaks TLS and the policy stays.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { lockFileKey } from "../../src/config/names";
import { AwsClients } from "../../src/ops/aws-clients";
import { AMBIENT_AWS_VARIABLES, Emulator, emulatorEnv, startEmulator } from "../../src/ops/emulator/emulator";
import { planStackDir } from "../../src/ops/pipeline/plan-folder";
import { writeCliConfig } from "../../src/ops/terraform/cli-config";
import { terraformEnv } from "../../src/ops/terraform/env";
import { Terraform } from "../../src/ops/terraform/runner";
import { PROJECT_DIR, stackDirIn, synthesize } from "../../src/ops/terraform/synth";
import { runProcess } from "../../src/ops/run-process";
import { discoverTools } from "../../src/ops/tools";
import { declaredResourceCount, describeE2e } from "./support";

const STATE_BUCKET = "portfolio-site-tfstate-123456789012";
const STATE_OBJECT_KEY = "site-storage/terraform.tfstate";
const REPOSITORY = "acme/site";
const REGION = "us-east-1";

interface Finished {
  code: number | null;
  output: string;
}

/** Runs a command to its end, in the project folder unless `cwd` says otherwise; its output as one text. */
async function finished(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string | undefined>; cwd?: string },
): Promise<Finished> {
  const ended = await runProcess(command, args, { cwd: options.cwd ?? PROJECT_DIR, env: options.env });
  return { code: ended.exitCode, output: `${ended.stdout}${ended.stderr}` };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Copies a folder the way upload-artifact and download-artifact hand it over: the files only,
 * each with mode 0644 (actions/toolkit#1722), and no `.terraform` folder (the workflow
 * excludes it). Returns every file copied, relative to `to`.
 */
function restoreAsArtifact(from: string, to: string, at = ""): string[] {
  mkdirSync(join(to, at), { recursive: true });
  return readdirSync(join(from, at)).flatMap((name) => {
    const relative = join(at, name);
    if (statSync(join(from, relative)).isDirectory())
      return name === ".terraform" ? [] : restoreAsArtifact(from, to, relative);
    copyFileSync(join(from, relative), join(to, relative));
    chmodSync(join(to, relative), 0o644);
    return [relative];
  });
}

describeE2e("remote state in S3 with native locking, and the CI roles", () => {
  const work = mkdtempSync(join(tmpdir(), "remote-state-e2e-"));
  const planDir = join(work, "plan");
  const restoredDir = join(work, "restored");
  const tools = discoverTools();
  let emulator: Emulator | undefined;
  let clients: AwsClients;
  let env: Record<string, string | undefined> = {};

  let bootstrapOutputs: Record<string, string> = {};
  let ciOutputs: Record<string, string> = {};
  let liftedPolicy = "";
  let planRun: Finished;
  let planFolderHasTerraformDir = true;
  let restoredFiles: string[] = [];
  let lockObjectSeen = "";
  let concurrentPlan: Finished;
  let applyRun: Finished;

  /**
   * Inits, plans and applies one stack of the synthesized output with its own local state,
   * leaving out the resources of `withoutTypes` (planned with `-target` on every other one).
   */
  async function deployLocally(stack: string, withoutTypes: readonly string[] = []): Promise<Record<string, string>> {
    const cwd = stackDirIn(join(work, "out"), stack);
    const terraform = new Terraform({
      bin: tools.terraform,
      cwd,
      env: { ...env, TF_CLI_ARGS_init: "" },
      logDir: join(work, "logs", stack),
    });
    await terraform.init(join(work, `${stack}.tfstate`));
    const planFile = join(work, `${stack}.tfplan`);
    if (withoutTypes.length === 0) {
      await terraform.plan(planFile);
    } else {
      const declared = JSON.parse(readFileSync(join(cwd, "cdk.tf.json"), "utf8")).resource as Record<
        string,
        Record<string, unknown>
      >;
      const targets = Object.entries(declared)
        .filter(([type]) => !withoutTypes.includes(type))
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `-target=${type}.${name}`));
      await terraform.run(["plan", "-input=false", "-no-color", ...targets, `-out=${planFile}`]);
    }
    await terraform.apply(planFile);
    return terraform.outputs();
  }

  beforeAll(async () => {
    emulator = await startEmulator({ motoServer: tools.motoServer, logFile: join(work, "emulator.log") });
    const base: Record<string, string | undefined> = { ...process.env };
    for (const name of AMBIENT_AWS_VARIABLES) delete base[name];
    env = {
      ...terraformEnv({
        base: { ...base, ...emulatorEnv(emulator.endpoint, REGION) },
        cliConfigFile: writeCliConfig(work, tools.providerMirror),
      }),
      // The S3 backend's addressing is init-time configuration, not part of the stack.
      TF_CLI_ARGS_init: "-backend-config=use_path_style=true",
    };
    const configFile = join(work, "site.config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        protectData: false,
        backend: { type: "s3", bucket: STATE_BUCKET },
        ci: { githubRepository: REPOSITORY },
      }),
    );
    env.SITE_CONFIG = configFile;
    clients = new AwsClients(env);
    await synthesize({ outDir: join(work, "out"), configFile, env });
  }, 60_000);

  beforeAll(async () => {
    // An administrator's once-only steps: the state bucket, then the CI roles (they read its key).
    // Without the lifecycle configurations: moto drops NewerNoncurrentVersions from the state
    // bucket's rules, and the provider waits for its rules to read back unchanged
    // (emulator difference lifecycle-newer-noncurrent-versions); AWS applies them as declared.
    bootstrapOutputs = await deployLocally("site-state", ["aws_s3_bucket_lifecycle_configuration"]);
    ciOutputs = await deployLocally("site-ci");
    const s3 = clients.s3(REGION);
    liftedPolicy = (await s3.send(new GetBucketPolicyCommand({ Bucket: STATE_BUCKET }))).Policy ?? "";
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));
  }, 240_000);

  beforeAll(async () => {
    // The CI's plan step, as the workflow runs it, then the folder as the apply job receives it.
    planRun = await finished("npm", ["run", "--silent", "plan", "--", "--dir", planDir], { env });
    planFolderHasTerraformDir = readdirSync(planStackDir(planDir)).includes(".terraform");
    restoredFiles = restoreAsArtifact(planDir, restoredDir);
  }, 120_000);

  beforeAll(async () => {
    // The CI's apply step from the restored folder; while it holds the lock, a second plan is refused.
    const applyDone = finished("npm", ["run", "--silent", "apply", "--", "--dir", restoredDir], { env });
    const s3 = clients.s3(REGION);
    lockObjectSeen = await until(
      "the lock object",
      async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }));
        return listed.Contents?.map((o) => o.Key ?? "").find((k) => k.endsWith(".tflock"));
      },
      120_000,
    ).catch(() => "");
    // In the folder the apply job has just initialized (the plan folder keeps no .terraform).
    concurrentPlan = await finished(tools.terraform, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"], {
      env,
      cwd: planStackDir(restoredDir),
    });
    applyRun = await applyDone;
  }, 300_000);

  afterAll(async () => {
    // The emulator and everything in it are thrown away: no destroy needed.
    clients?.destroy();
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("bootstraps a TLS-only state bucket and names it and its key in its outputs", () => {
    expect(bootstrapOutputs.state_bucket_name).toBe(STATE_BUCKET);
    expect(bootstrapOutputs.state_key_arn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    expect(JSON.parse(liftedPolicy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
    ]);
  });

  it("deploys the CI roles and outputs the three ARNs the workflow's vars name", async () => {
    expect(ciOutputs.plan_role_arn).toBe("arn:aws:iam::123456789012:role/portfolio-site-ci-plan");
    expect(ciOutputs.apply_role_arn).toBe("arn:aws:iam::123456789012:role/portfolio-site-ci-apply");
    expect(ciOutputs.publish_role_arn).toBe("arn:aws:iam::123456789012:role/portfolio-site-ci-publish");
    const trust =
      (await clients.iam(REGION).send(new GetRoleCommand({ RoleName: "portfolio-site-ci-apply" }))).Role
        ?.AssumeRolePolicyDocument ?? "";
    expect(decodeURIComponent(trust)).toContain(`repo:${REPOSITORY}:environment:production`);
  });

  it("plans through npm run plan: the guard passes, the summary counts what will be created, and the folder holds no .terraform", () => {
    expect({ code: planRun.code, output: planRun.output }).toEqual({
      code: 0,
      output: expect.stringContaining("Plan guard: passed."),
    });
    // Every resource the synthesized stack declares is created: none skipped, none doubled.
    const declared = declaredResourceCount(planStackDir(planDir));
    expect(planRun.output).toMatch(
      new RegExp(
        `\\| create \\| update \\| replace \\| delete \\| unchanged \\|\\n\\|[-:|]+\\|\\n\\| ${declared} \\| 0 \\| 0 \\| 0 \\| 0 \\|`,
      ),
    );
    expect(planFolderHasTerraformDir).toBe(false);
  });

  it("hands the apply job the saved plan and the provider lock file, and nothing of .terraform", () => {
    expect(restoredFiles).toEqual(
      expect.arrayContaining(["tfplan", join("out", "stacks", "site-storage", ".terraform.lock.hcl")]),
    );
    expect(restoredFiles.filter((f) => f.split("/").includes(".terraform"))).toEqual([]);
  });

  it("refuses a second plan while the apply holds the lock", () => {
    expect(lockObjectSeen).toBe(lockFileKey(STATE_OBJECT_KEY));
    expect(concurrentPlan.code).not.toBe(0);
    expect(concurrentPlan.output).toContain("Error acquiring the state lock");
  });

  it("applies exactly the saved plan through npm run apply, from the restored folder", () => {
    expect({ code: applyRun.code, output: applyRun.output }).toEqual({
      code: 0,
      output: expect.stringContaining(
        `Apply complete! Resources: ${declaredResourceCount(planStackDir(planDir))} added, 0 changed, 0 destroyed.`,
      ),
    });
  });

  it("encrypts the state with the state key, through the bucket's default encryption", async () => {
    const head = await clients.s3(REGION).send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: STATE_OBJECT_KEY }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({
      sse: "aws:kms",
      key: bootstrapOutputs.state_key_arn,
    });
    expect(head.ContentLength).toBeGreaterThan(1000);
  });

  it("encrypted every version of the lock file with the state key too", async () => {
    const s3 = clients.s3(REGION);
    const versions =
      (await s3.send(new ListObjectVersionsCommand({ Bucket: STATE_BUCKET, Prefix: lockFileKey(STATE_OBJECT_KEY) })))
        .Versions ?? [];
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: version.Key, VersionId: version.VersionId }),
      );
      expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({
        sse: "aws:kms",
        key: bootstrapOutputs.state_key_arn,
      });
    }
  });

  it("releases the lock afterwards: the lock object is gone and a plan runs", async () => {
    const keys = (
      (await clients.s3(REGION).send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }))).Contents ?? []
    ).map((o) => o.Key ?? "");
    expect(keys).toContain(STATE_OBJECT_KEY);
    expect(keys.filter((k) => k.endsWith(".tflock"))).toEqual([]);
    const after = await finished(
      tools.terraform,
      ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-refresh=false"],
      { env, cwd: planStackDir(restoredDir) },
    );
    expect(after.output).not.toContain("Error acquiring the state lock");
    expect(after.code).toBe(0);
  }, 120_000);
});
