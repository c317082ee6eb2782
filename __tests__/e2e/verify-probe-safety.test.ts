// The replication probe is safe on a shared deployment: two `npm run verify` at once both pass
// and leave nothing behind, and Ctrl-C in the middle of the probe restores the primary bucket's
// policy and deletes the probe's versions before the process exits with 130. Deployed to the
// emulator as users deploy (npm run emulator, then cdktf deploy).
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { IncomingMessage, Server, createServer, request } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetBucketPolicyCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { samePolicy } from "../../src/common/policy";
import { AwsClients } from "../../src/ops/aws-clients";
import { isRunning } from "../../src/ops/processes";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";
import { PROBE_PREFIX } from "../../src/ops/probe/object-probe";
import { runLockPath } from "../../src/ops/emulator/run-lock";
import { describeE2e } from "./support";

const work = mkdtempSync(join(tmpdir(), "verify-probe-safety-e2e-"));
const emulatorDir = join(work, "emulator");
const PRIMARY = "portfolio-site-primary-123456789012";

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` in the project folder; `started` receives the child. */
function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  started: (child: ChildProcess) => void = () => undefined,
): Promise<Finished> {
  const child = spawn(command, [...args], { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  started(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** `npm run verify`'s command itself (package.json), so a signal reaches the verifier, not npm. */
const verify = (env: NodeJS.ProcessEnv, started?: (child: ChildProcess) => void) =>
  run(process.execPath, ["--require", "tsx/cjs", "src/cli/verify.ts"], env, started);

/** The variables a shell gets from `. <envFile>`. */
function sourced(envFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of readFileSync(envFile, "utf8").split("\n")) {
    const unset = /^unset (.+)$/.exec(line);
    if (unset) for (const name of unset[1].split(" ")) delete env[name];
    const exported = /^export (\w+)='(.*)'$/.exec(line);
    if (exported) env[exported[1]] = exported[2].replace(/'\\''/g, "'");
  }
  return env;
}

/**
 * A proxy to the emulator that holds each of the probe's object writes and calls `held` with
 * the function that forwards it: the moment the probe is in the middle, its policy lifted.
 */
async function holdingProbeWrites(
  target: string,
  held: (forward: () => void) => void,
): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res) => {
    const forward = () => {
      const upstreamRequest = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstreamRequest.on("error", () => res.destroy());
      req.pipe(upstreamRequest);
    };
    if (req.method === "PUT" && (req.url ?? "").includes(`/${PROBE_PREFIX}`)) held(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describeE2e("the replication probe on a shared emulator deployment", () => {
  let emulator: ChildProcess;
  let env: NodeJS.ProcessEnv = {};
  let clients: AwsClients;
  let policyBefore = "";

  /** The primary bucket's policy now, or the error's name. */
  const policyNow = async () =>
    clients
      .s3("us-east-1")
      .send(new GetBucketPolicyCommand({ Bucket: PRIMARY }))
      .then(
        (answer) => answer.Policy ?? "",
        (error: Error) => error.name,
      );
  /** Every version and delete marker under the probe's prefix in the primary bucket. */
  const probeVersions = async () => {
    const page = await clients
      .s3("us-east-1")
      .send(new ListObjectVersionsCommand({ Bucket: PRIMARY, Prefix: PROBE_PREFIX }));
    return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => `${v.Key} ${v.VersionId}`);
  };

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
    env = sourced(join(emulatorDir, "env"));
    const deploy = await run(
      "npx",
      [
        "cdktf",
        "deploy",
        "site-storage",
        "--auto-approve",
        "--skip-provider-lock",
        "--output",
        join(emulatorDir, "out"),
      ],
      env,
    );
    if (deploy.code !== 0) throw new Error(`cdktf deploy failed:\n${deploy.stdout}\n${deploy.stderr}`);
    clients = new AwsClients(env);
    policyBefore = await policyNow();
  }, 300_000);

  afterAll(async () => {
    clients?.destroy();
    if (emulator?.pid !== undefined && isRunning(emulator.pid)) {
      process.kill(-emulator.pid, "SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("has a bucket policy to lift before the tests (the deployment is the real one)", () => {
    expect(policyBefore).toContain("DenyInsecureTransport");
  });

  it("lets two runs at once both pass, leaving no probe object and the policy in place", async () => {
    // Each probe write waits 3 s, so the first run's policy stays lifted while the second
    // starts: without the run lock, the second reads no policy and fails.
    const proxy = await holdingProbeWrites(String(env.AWS_ENDPOINT_URL), (forward) => setTimeout(forward, 3_000));
    const both = { ...env, AWS_ENDPOINT_URL: proxy.url };
    try {
      const [first, second] = await Promise.all([verify(both), verify(both)]);
      expect({ code: first.code, out: first.stdout }).toEqual({
        code: 0,
        out: expect.stringMatching(/^OK: \d+ checks pass/m),
      });
      expect({ code: second.code, out: second.stdout }).toEqual({
        code: 0,
        out: expect.stringMatching(/^OK: \d+ checks pass/m),
      });
      expect(await probeVersions()).toEqual([]);
      expect(samePolicy(await policyNow(), policyBefore)).toBe(true);
      expect(existsSync(runLockPath(proxy.url))).toBe(false);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  }, 120_000);

  it("restores the policy and deletes the probe's versions on Ctrl-C in the middle of the probe, then exits 130", async () => {
    let child: ChildProcess | undefined;
    let liftedWhenInterrupted = "";
    let signalled: () => void = () => undefined;
    const interrupted = new Promise<void>((resolve) => (signalled = resolve));
    // The probe's write is never forwarded: the signal comes while it is in flight.
    const proxy = await holdingProbeWrites(String(env.AWS_ENDPOINT_URL), () => {
      void policyNow().then((policy) => {
        liftedWhenInterrupted = policy;
        child?.kill("SIGINT");
        signalled();
      });
    });
    try {
      const result = await verify({ ...env, AWS_ENDPOINT_URL: proxy.url }, (c) => (child = c));
      await interrupted;
      // The probe was in the middle: the policy was lifted when the signal came.
      expect(liftedWhenInterrupted).toBe("NoSuchBucketPolicy");
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("SIGINT received: undoing what this run changed");
      expect(result.stderr).toContain(
        "replication probe interrupted: deleting its object and restoring what it changed",
      );
      expect(samePolicy(await policyNow(), policyBefore)).toBe(true);
      expect(await probeVersions()).toEqual([]);
      expect(existsSync(runLockPath(proxy.url))).toBe(false);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  }, 120_000);
});
