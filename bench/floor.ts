// The floor of the local run: what deploying and destroying the same synthesized stack costs with
// nothing around it. A fresh emulator, the stack synthesized from the same settings with the
// local run's overrides, then, timed, the bare Terraform commands as a user would type them:
//   terraform init && terraform apply -auto-approve && terraform destroy -auto-approve
// (init with the state path in the run's own folder, as the local run's init does).
// Not timed: synthesis, the emulator's start and stop, and readying the buckets for deletion
// between apply and destroy (logging off, policies deleted, versions deleted: the log buckets
// hold the access logs the emulator delivers, and S3 refuses to delete a bucket with objects in
// it, so without that a bare destroy fails with BucketNotEmpty). The local run's figure includes
// all of them, so the ratio charges them to the run.
import { readRawConfig } from "../src/config/load";
import { LocalSession } from "../src/ops/local-run/session";
import { withRunOverrides } from "../src/ops/local-run/run-config";
import { runProcess } from "../src/ops/run-process";
import { PROJECT_DIR } from "../src/ops/terraform/synth";
import { discoverTools } from "../src/ops/tools";

/** One floor run with the settings file `settingsFile`; its wall seconds (init, apply, destroy). */
export async function floorRun(settingsFile: string, progress: (line: string) => void): Promise<number> {
  const tools = discoverTools();
  const session = await LocalSession.open({ region: "us-east-1", tools });
  try {
    const user = readRawConfig({ SITE_CONFIG: settingsFile }, PROJECT_DIR);
    const { stackDir } = await session.synth(withRunOverrides(user.raw, user.source).raw);
    let seconds = 0;
    // The state goes in the session's folder: the synthesized local backend names the project's
    // own terraform.site-storage.tfstate, a user's real state, which the floor must never touch.
    for (const args of [
      ["init", "-input=false", `-backend-config=path=${session.statePath}`],
      ["apply", "-auto-approve"],
      ["destroy", "-auto-approve"],
    ]) {
      if (args[0] === "destroy") await session.readyBucketsForDeletion();
      const started = process.hrtime.bigint();
      const ran = await runProcess(tools.terraform, [...args, "-no-color"], { cwd: stackDir, env: session.env });
      seconds += Number(process.hrtime.bigint() - started) / 1e9;
      if (ran.exitCode !== 0)
        throw new Error(`floor: terraform ${args[0]} failed (exit ${ran.exitCode}):\n${ran.stderr.slice(-2000)}`);
      progress(`terraform ${args[0]} done, ${seconds.toFixed(1)} s so far`);
    }
    return seconds;
  } finally {
    await session.close({ removeWorkDir: true });
  }
}
