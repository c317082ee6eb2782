// cdktf's own end-to-end matchers on the stack: the fully synthesized output is valid Terraform
// (init + validate) and plans against the emulator. Terraform runs with process.env, so the test
// points it at the provider mirror (our CLI config) and at a fresh emulator for its duration.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parseSettings } from "../../src/config/load";
import { Emulator, emulatorEnv, startEmulator, AMBIENT_AWS_VARIABLES } from "../../src/ops/emulator/emulator";
import { writeCliConfig } from "../../src/ops/terraform/cli-config";
import { discoverTools } from "../../src/ops/tools";
import { describeE2e } from "./support";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";

describeE2e("the fully synthesized stack", () => {
  const work = mkdtempSync(join(tmpdir(), "full-synth-e2e-"));
  const savedEnv = { ...process.env };
  let emulator: Emulator | undefined;
  let outdir: string;

  beforeAll(async () => {
    const tools = discoverTools();
    emulator = await startEmulator({ motoServer: tools.motoServer, logFile: join(work, "emulator.log") });
    for (const name of AMBIENT_AWS_VARIABLES) delete process.env[name];
    Object.assign(process.env, emulatorEnv(emulator.endpoint, "us-east-1"), {
      TF_CLI_CONFIG_FILE: writeCliConfig(work, tools.providerMirror),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
    });
    const app = Testing.app();
    // State next to the test's files, never in the project folder (the default local backend).
    const settings = parseSettings({ backend: { type: "local", path: join(work, "terraform.tfstate") } });
    const stack = new SiteStorageStack(app, "full-synth", settings);
    outdir = Testing.fullSynth(stack);
  }, 60_000);

  afterAll(async () => {
    process.env = savedEnv;
    await emulator?.stop();
    rmSync(work, { recursive: true, force: true });
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  });

  it("is valid Terraform", () => {
    expect(outdir).toBeValidTerraform();
  }, 60_000);

  it("plans successfully against the emulator", () => {
    expect(outdir).toPlanSuccessfully();
  }, 60_000);
});
