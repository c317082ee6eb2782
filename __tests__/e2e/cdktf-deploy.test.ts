// `cdktf deploy` and `npm run verify` exactly as the README tells users, on the emulator:
//   npm run emulator            (its own terminal)
//   . .emulator/env
//   npx cdktf deploy site-storage --auto-approve --skip-provider-lock --output .emulator/cdktf.out
//   npx cdktf output site-storage --skip-synth --output .emulator/cdktf.out
//   npm run verify
// The emulator folder is a temporary one here (`--dir`), so a user's .emulator is never touched.
// Then, against that live deployment: the plan guard through `npm run plan` (a safe change
// passes, a rename is refused), six drifts made through the SDK that `npm run verify` must name,
// and the verifier's "could not run" answers (exit 2).
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DisableKeyRotationCommand } from "@aws-sdk/client-kms";
import {
  DeleteBucketReplicationCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import { AwsClients } from "../../src/ops/aws-clients";
import { isRunning } from "../../src/ops/processes";
import { runProcess } from "../../src/ops/run-process";
import { PROJECT_DIR, stackDirIn } from "../../src/ops/terraform/synth";
import { VerifyRow } from "../../src/ops/verify/row";
import { declaredResourceCount, describeE2e } from "./support";

const work = mkdtempSync(join(tmpdir(), "cdktf-deploy-e2e-"));
const emulatorDir = join(work, "emulator");
const output = join(emulatorDir, "cdktf.out");
const ACCOUNT = "123456789012";
const PRIMARY = `portfolio-site-primary-${ACCOUNT}`;
const REPLICA = `portfolio-site-replica-${ACCOUNT}`;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project folder with `env`; resolves when it exits. */
async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  const { exitCode: code, stdout, stderr } = await runProcess(command, args, { cwd: PROJECT_DIR, env });
  return { code, stdout, stderr };
}

/** The variables a shell gets from `. <envFile>`: its unsets applied, its exports set. */
function sourced(envFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  let exports = 0;
  for (const line of readFileSync(envFile, "utf8").split("\n")) {
    const unset = /^unset (.+)$/.exec(line);
    if (unset) for (const name of unset[1].split(" ")) delete env[name];
    const exported = /^export (\w+)='(.*)'$/.exec(line);
    if (exported) env[exported[1]] = exported[2].replace(/'\\''/g, "'");
    if (exported) exports += 1;
  }
  if (exports === 0) throw new Error(`${envFile} exports nothing: the commands would not reach the emulator`);
  return env;
}

/** `npm run verify -- --json <file> …`, with the JSON it wrote. */
async function verify(
  env: NodeJS.ProcessEnv,
  name: string,
  ...args: string[]
): Promise<Finished & { checks: VerifyRow[] }> {
  const json = join(work, `${name}.json`);
  const result = await run("npm", ["run", "--silent", "verify", "--", "--json", json, ...args], env);
  return {
    ...result,
    checks: existsSync(json) ? (JSON.parse(readFileSync(json, "utf8")) as { checks: VerifyRow[] }).checks : [],
  };
}

/** A settings file for `npm run plan`: the emulator session's settings with `changes`. */
function settingsWith(env: NodeJS.ProcessEnv, name: string, changes: Record<string, unknown>): string {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(env.SITE_CONFIG as string, "utf8")), ...changes }));
  return file;
}

describeE2e("cdktf deploy and npm run verify, as the README runs them", () => {
  let emulator: ChildProcess;
  let env: NodeJS.ProcessEnv = {};
  let emulatorPid = 0;
  let beforeDeploy: Finished;
  let deploy: Finished;
  /** The project's own local state file (cdktf's default), before and after: a user's real state. */
  const projectState = join(PROJECT_DIR, "terraform.site-storage.tfstate");
  const stamp = () => (existsSync(projectState) ? statSync(projectState).mtimeMs : "absent");
  let projectStateBefore: number | string = "absent";
  let outputs: Finished;
  let clean: Finished & { checks: VerifyRow[] };

  beforeAll(async () => {
    emulator = spawn("npm", ["run", "--silent", "emulator", "--", "--dir", emulatorDir], {
      cwd: PROJECT_DIR,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let printed = "";
    await new Promise<void>((resolve, reject) => {
      emulator.stdout?.on("data", (c: Buffer) => {
        printed += c.toString();
        if (printed.includes("emulator ready")) resolve();
      });
      emulator.once("exit", (code) => reject(new Error(`npm run emulator exited (${code}):\n${printed}`)));
    });
    emulatorPid = Number(/\(pid (\d+)\)/.exec(printed)?.[1]);
    env = sourced(join(emulatorDir, "env"));
    beforeDeploy = await verify(env, "before-deploy");
  }, 60_000);

  beforeAll(async () => {
    projectStateBefore = stamp();
    deploy = await run(
      "npx",
      ["cdktf", "deploy", "site-storage", "--auto-approve", "--skip-provider-lock", "--output", output],
      env,
    );
    outputs = await run("npx", ["cdktf", "output", "site-storage", "--skip-synth", "--output", output], env);
    clean = await verify(env, "clean");
  }, 300_000);

  afterAll(async () => {
    // Ctrl-C, as a user stops it, should a test have failed before the one that does.
    if (emulator?.pid !== undefined && isRunning(emulator.pid)) {
      process.kill(-emulator.pid, "SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("says nothing is deployed yet, and exits 2, before the deploy", () => {
    expect(beforeDeploy.code).toBe(2);
    expect(beforeDeploy.stderr).toMatch(
      /verify: could not run: site-storage is not deployed in account 123456789012: none of its buckets/,
    );
  });

  it("deploys with cdktf from the provider mirror, without the registry", () => {
    // As many as the synthesized stack declares: a resource Terraform skipped or doubled fails here.
    const declared = declaredResourceCount(stackDirIn(output));
    expect({ code: deploy.code, applied: /Apply complete! Resources: (\d+) added/.exec(deploy.stdout)?.[1] }).toEqual({
      code: 0,
      applied: String(declared),
    });
    expect(deploy.stdout).toContain(`primary_bucket_name = ${PRIMARY}`);
    expect(existsSync(join(emulatorDir, "terraform.site-storage.tfstate"))).toBe(true);
    // The emulator's state lives in its folder: a state file of the project is neither made nor touched.
    expect(stamp()).toBe(projectStateBefore);
  });

  it("prints the outputs with cdktf output", () => {
    expect(outputs.code).toBe(0);
    expect(outputs.stdout).toContain(`replica_bucket_name = ${REPLICA}`);
  });

  it("verifies the deployment with no state: every check passes, exit 0, and it names what the emulator cannot show", () => {
    expect({ code: clean.code, failed: clean.checks.filter((c) => c.status === "fail") }).toEqual({
      code: 0,
      failed: [],
    });
    expect(clean.checks.length).toBeGreaterThan(30);
    expect(clean.stdout).toMatch(/OK: \d+ checks pass \(account 123456789012 on the emulator/);
    expect(clean.stdout).toMatch(
      /Not shown by this run:\n {2}- replication of an object: moto stores the replication configuration but never copies/,
    );
  });

  it("keeps the AWS SDK's Node.js notice out of the output", () => {
    expect(`${clean.stdout}${clean.stderr}`).not.toContain("NodeVersionSupportWarning");
  });

  describe("the plan guard on the live deployment, through npm run plan", () => {
    it("passes a safe change (tags, lifecycle days, log retention), replacing nothing", async () => {
      const safe = settingsWith(env, "safe", {
        tags: { CostCenter: "web-42" },
        lifecycle: {
          noncurrentTransitionDays: 45,
          noncurrentExpirationDays: 400,
          abortIncompleteMultipartUploadDays: 3,
        },
        logging: { retentionDays: 30 },
      });
      const plan = await run("npm", ["run", "--silent", "plan", "--", "--dir", join(work, "plan-safe")], {
        ...env,
        SITE_CONFIG: safe,
      });
      expect({ code: plan.code, guard: plan.stdout.includes("Plan guard: passed.") }).toEqual({ code: 0, guard: true });
      expect(plan.stdout).toMatch(/\| 0 \| \d+ \| 0 \| 0 \| \d+ \|/);
      expect(plan.stdout).toMatch(/\| update \| `aws_s3_bucket_lifecycle_configuration\./);
    }, 120_000);

    it("has Terraform refuse a project rename while protectData is on", async () => {
      const plan = await run("npm", ["run", "--silent", "plan", "--", "--dir", join(work, "plan-rename-protected")], {
        ...env,
        SITE_CONFIG: settingsWith(env, "rename-protected", { project: "renamed-site" }),
      });
      expect(plan.code).toBe(1);
      expect(`${plan.stdout}${plan.stderr}`).toMatch(/Instance cannot be destroyed/);
    }, 120_000);

    it("refuses a rename without protectData, naming every bucket, and keeps no plan to apply", async () => {
      const dir = join(work, "plan-rename");
      const plan = await run("npm", ["run", "--silent", "plan", "--", "--dir", dir], {
        ...env,
        SITE_CONFIG: settingsWith(env, "rename", { project: "renamed-site", protectData: false }),
      });
      expect(plan.code).toBe(1);
      expect(plan.stdout).toMatch(/Plan guard: REFUSED\./);
      expect(plan.stdout.match(/REPLACE aws_s3_bucket\./g)).toHaveLength(4);
      expect(existsSync(join(dir, "tfplan"))).toBe(false);
      const guard = await run("npm", ["run", "--silent", "guard", "--", join(dir, "plan.json")], env);
      expect({ code: guard.code, refused: guard.stderr.includes("Plan guard: REFUSED") }).toEqual({
        code: 1,
        refused: true,
      });
    }, 120_000);
  });

  describe("drift made by hand", () => {
    let drifted: Finished & { checks: VerifyRow[] };

    beforeAll(async () => {
      const clients = new AwsClients(env);
      try {
        const primary = clients.s3("us-east-1");
        const replica = clients.s3("us-west-2");
        const encryption = await primary.send(new GetBucketEncryptionCommand({ Bucket: PRIMARY }));
        const keyArn = encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
          ?.KMSMasterKeyID as string;
        await primary.send(
          new PutBucketEncryptionCommand({
            Bucket: PRIMARY,
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn },
                  BucketKeyEnabled: false,
                },
              ],
            },
          }),
        );
        await replica.send(new DeletePublicAccessBlockCommand({ Bucket: REPLICA }));
        await clients.kms("us-east-1").send(new DisableKeyRotationCommand({ KeyId: keyArn }));
        const policy = (await primary.send(new GetBucketPolicyCommand({ Bucket: PRIMARY }))).Policy as string;
        await primary.send(new PutBucketPolicyCommand({ Bucket: PRIMARY, Policy: policy.replace('"1.2"', '"1.0"') }));
        await replica.send(
          new PutBucketVersioningCommand({ Bucket: REPLICA, VersioningConfiguration: { Status: "Suspended" } }),
        );
        await primary.send(new DeleteBucketReplicationCommand({ Bucket: PRIMARY }));
      } finally {
        clients.destroy();
      }
      drifted = await verify(env, "drifted", "--no-probe");
    }, 60_000);

    it("fails with exit 1", () => {
      expect(drifted.code).toBe(1);
      expect(drifted.stdout).toMatch(/FAILED: 6 of \d+ checks/);
    });

    const on = (type: string, name: string) => expect.stringMatching(new RegExp(`^${type}\\.[^ ]+ \\(${name}\\)$`));
    it.each([
      [
        "the Bucket Key turned off",
        "aws_s3_bucket_server_side_encryption_configuration",
        PRIMARY,
        "rule.bucket_key_enabled",
        "true",
        "false",
      ],
      [
        "a public access block removed",
        "aws_s3_bucket_public_access_block",
        REPLICA,
        "",
        "exists, as declared",
        "(missing)",
      ],
      ["key rotation disabled", "aws_kms_key", "[^)]+", "enable_key_rotation", "true", "false"],
      [
        "a bucket policy statement edited",
        "aws_s3_bucket_policy",
        PRIMARY,
        "policy.statement.DenyOutdatedTls.Condition.NumericLessThan.s3:TlsVersion",
        "[1.2]",
        "[1.0]",
      ],
      [
        "versioning suspended",
        "aws_s3_bucket_versioning",
        REPLICA,
        "versioning_configuration.status",
        "Enabled",
        "Suspended",
      ],
      [
        "replication removed",
        "aws_s3_bucket_replication_configuration",
        PRIMARY,
        "",
        "exists, as declared",
        "(missing)",
      ],
    ])(
      "names %s: the resource, the path, what was expected and what was found",
      (_drift, type, name, path, expected, found) => {
        expect(drifted.checks.filter((c) => c.status === "fail")).toContainEqual({
          resource: on(type, name),
          path,
          expected,
          found,
          status: "fail",
        });
        expect(drifted.stdout).toContain(`${type}.`);
      },
    );
  });

  describe("when it cannot run", () => {
    it("says the endpoint cannot be reached, and exits 2", async () => {
      const result = await verify({ ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" }, "unreachable", "--no-probe");
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /verify: could not run: cannot reach http:\/\/127\.0\.0\.1:9 for GetCallerIdentity \(ECONNREFUSED\)/,
      );
    }, 30_000);

    it("says the settings are wrong, and exits 2", async () => {
      const result = await verify({ ...env, SITE_CONFIG: join(work, "missing.json") }, "bad-settings", "--no-probe");
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/names a config file that does not exist/);
    });
  });

  it("stops the emulator on Ctrl-C", async () => {
    process.kill(-(emulator.pid as number), "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(isRunning(emulatorPid)).toBe(false);
  });
});
