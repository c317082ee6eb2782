// Remote state end to end, on the emulator: bootstrap the state bucket (the `site-state` stack),
// then run the CI's own scripts, `npm run plan` and `npm run apply`, for the storage stack with
// the S3 backend pointed at that bucket. While the apply holds the lock, a second
// `terraform plan` is refused; afterwards the state object is in the bucket and the lock is gone.
//
// Emulator only: moto enforces the state bucket's TLS-only deny with its conditions ignored, so
// every object call of the backend would be refused over the emulator's plain HTTP. The test
// lifts that one policy after the bootstrap (named in EMULATOR_DIFFERENCES as
// bucket-policy-conditions-ignored); against AWS the backend speaks TLS and the policy stays.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { AwsClients } from "../../src/ops/aws-clients";
import { AMBIENT_AWS_VARIABLES, Emulator, emulatorEnv, startEmulator } from "../../src/ops/emulator/emulator";
import { writeCliConfig } from "../../src/ops/terraform/cli-config";
import { Terraform } from "../../src/ops/terraform/runner";
import { PROJECT_DIR, stackDirIn, synthesize } from "../../src/ops/terraform/synth";
import { discoverTools } from "../../src/ops/tools";
import { describeE2e } from "./support";

const STATE_BUCKET = "portfolio-site-tfstate-123456789012";
const STATE_KEY = "site-storage/terraform.tfstate";
const REGION = "us-east-1";

interface Finished { code: number | null; output: string }

function finished(child: ChildProcess): Promise<Finished> {
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((done) => child.once("close", (code) => done({ code, output })));
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

describeE2e("remote state in S3 with native locking", () => {
  const work = mkdtempSync(join(tmpdir(), "remote-state-e2e-"));
  const planDir = join(work, "plan");
  let emulator: Emulator | undefined;
  let clients: AwsClients | undefined;
  let env: Record<string, string | undefined> = {};

  let bootstrapOutputs: Record<string, string> = {};
  let liftedPolicy = "";
  let planRun: Finished;
  let lockObjectSeen = "";
  let concurrentPlan: { status: number | null; output: string };
  let applyRun: Finished;
  let stateObjectSize = 0;
  let keysAfter: string[] = [];
  let planAfter: { status: number | null; output: string };

  beforeAll(async () => {
    const tools = discoverTools();
    emulator = await startEmulator({ motoServer: tools.motoServer, logFile: join(work, "emulator.log") });
    env = { ...process.env };
    for (const name of AMBIENT_AWS_VARIABLES) delete env[name];
    Object.assign(env, emulatorEnv(emulator.endpoint, REGION), {
      TF_CLI_CONFIG_FILE: writeCliConfig(work, tools.providerMirror),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      // The S3 backend's addressing is init-time configuration, not part of the stack.
      TF_CLI_ARGS_init: "-backend-config=use_path_style=true",
    });
    const configFile = join(work, "site.config.json");
    writeFileSync(configFile, JSON.stringify({ protectData: false, backend: { type: "s3", bucket: STATE_BUCKET } }));
    env.SITE_CONFIG = configFile;

    // 1. Bootstrap: the site-state stack, with its own local state.
    const synth = await synthesize({ outDir: join(work, "out"), configFile, env, stack: "site-state" });
    const bootstrap = new Terraform({
      bin: tools.terraform, cwd: synth.stackDir, env: { ...env, TF_CLI_ARGS_init: "" }, logDir: join(work, "logs"),
    });
    await bootstrap.init(join(work, "bootstrap.tfstate"));
    await bootstrap.plan(join(work, "bootstrap.tfplan"));
    await bootstrap.apply(join(work, "bootstrap.tfplan"));
    bootstrapOutputs = await bootstrap.outputs();

    clients = new AwsClients(env);
    const s3 = clients.s3(REGION);
    liftedPolicy = (await s3.send(new GetBucketPolicyCommand({ Bucket: STATE_BUCKET }))).Policy ?? "";
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: STATE_BUCKET }));

    // 2. The CI's plan step, as the workflow runs it.
    planRun = await finished(spawn("npm", ["run", "--silent", "plan", "--", "--dir", planDir], { cwd: PROJECT_DIR, env: env as NodeJS.ProcessEnv }));
    if (planRun.code !== 0) throw new Error(`npm run plan failed:\n${planRun.output}`);

    // 3. The CI's apply step; while it holds the lock, a second plan must be refused.
    const apply = spawn("npm", ["run", "--silent", "apply", "--", "--dir", planDir], { cwd: PROJECT_DIR, env: env as NodeJS.ProcessEnv });
    const applyDone = finished(apply);
    lockObjectSeen = await until("the lock object", async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }));
      return listed.Contents?.map((o) => o.Key ?? "").find((k) => k.endsWith(".tflock"));
    }, 60_000);
    const second = spawnSync(tools.terraform, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"], {
      cwd: stackDirIn(join(planDir, "out")), env: env as NodeJS.ProcessEnv, encoding: "utf8",
    });
    concurrentPlan = { status: second.status, output: `${second.stdout}${second.stderr}` };
    applyRun = await applyDone;

    stateObjectSize = (await s3.send(new HeadObjectCommand({ Bucket: STATE_BUCKET, Key: STATE_KEY }))).ContentLength ?? 0;
    keysAfter = ((await s3.send(new ListObjectsV2Command({ Bucket: STATE_BUCKET }))).Contents ?? []).map((o) => o.Key ?? "");
    const after = spawnSync(tools.terraform, ["plan", "-input=false", "-no-color", "-lock-timeout=0s", "-refresh=false"], {
      cwd: stackDirIn(join(planDir, "out")), env: env as NodeJS.ProcessEnv, encoding: "utf8",
    });
    planAfter = { status: after.status, output: `${after.stdout}${after.stderr}` };
  }, 400_000);

  afterAll(async () => {
    // The emulator and everything in it are thrown away: no destroy needed.
    clients?.destroy();
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("bootstraps a TLS-only state bucket and names it in its outputs", () => {
    expect(bootstrapOutputs.state_bucket_name).toBe(STATE_BUCKET);
    expect(JSON.parse(liftedPolicy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  it("plans through npm run plan: the guard passes and the summary counts what will be created", () => {
    expect(planRun.output).toContain("Plan guard: passed.");
    expect(planRun.output).toMatch(/\| create \| update \| replace \| delete \| unchanged \|\n\|[-:|]+\|\n\| 37 \| 0 \| 0 \| 0 \| 0 \|/);
  });

  it("refuses a second plan while the apply holds the lock", () => {
    expect(lockObjectSeen).toBe(`${STATE_KEY}.tflock`);
    expect(concurrentPlan.status).not.toBe(0);
    expect(concurrentPlan.output).toContain("Error acquiring the state lock");
  });

  it("applies exactly the saved plan through npm run apply and keeps the state in the bucket", () => {
    expect(applyRun.code).toBe(0);
    expect(applyRun.output).toContain("Apply complete! Resources: 37 added, 0 changed, 0 destroyed.");
    expect(stateObjectSize).toBeGreaterThan(1000);
  });

  it("releases the lock afterwards: the lock object is gone and a plan runs", () => {
    expect(keysAfter).toContain(STATE_KEY);
    expect(keysAfter.filter((k) => k.endsWith(".tflock"))).toEqual([]);
    expect(planAfter.output).not.toContain("Error acquiring the state lock");
    expect(planAfter.status).toBe(0);
  });
});
