// Runs the app the way `cdktf synth` does (cdktf.json's `app`), as a child process: bad settings
// must stop it before anything is written; good settings must synthesize. Each run costs about
// half a second, so the other ways a config fails (missing file, bad JSON) are tested in process
// in config-loading.test.ts; main.ts handles every ConfigError the same way.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../../src/ops/run-process";

const PROJECT_ROOT = resolve(__dirname, "../..");
const SYNTH_TIMEOUT_MS = 30_000;

/** cdktf.json's `app` (what `cdktf synth` runs), in the project root with SITE_CONFIG and CDKTF_OUTDIR set. */
function runMain(configPath: string, outDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, SITE_CONFIG: configPath, CDKTF_OUTDIR: outDir };
  delete env.CDKTF_CONTEXT_JSON;
  const app = (JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as { app: string }).app;
  return runProcess("/bin/sh", ["-c", app], { cwd: PROJECT_ROOT, env, timeoutMs: SYNTH_TIMEOUT_MS });
}

describe("main.ts as a process", () => {
  let dir: string;
  let outDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "site-main-"));
    outDir = join(dir, "out");
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "exits non-zero with every problem on stderr and writes nothing when the config is bad",
    async () => {
      const config = join(dir, "bad.json");
      writeFileSync(config, JSON.stringify({ kmsDeletionWindowDays: 3, replicaRegion: "us-east-1" }));
      const result = await runMain(config, outDir);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain(`Invalid site configuration (${config}), 2 problem(s):`);
      expect(result.stderr).toContain("kmsDeletionWindowDays (got 3): must be a whole number of days from 7 to 30");
      expect(result.stderr).toContain(
        'replicaRegion (got "us-east-1"): must differ from primaryRegion (both are "us-east-1")',
      );
      expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "writes the storage stack's cdk.tf.json, built from the config, when the config is good",
    async () => {
      const config = join(dir, "good.json");
      writeFileSync(
        config,
        JSON.stringify({ project: "cli-site", primaryRegion: "eu-west-1", replicaRegion: "eu-central-1" }),
      );
      const result = await runMain(config, outDir);
      // stderr is shown on failure; warnings on it are allowed.
      expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: expect.any(String) });
      const stackFile = join(outDir, "stacks", "site-storage", "cdk.tf.json");
      expect(existsSync(stackFile)).toBe(true);
      const stack = JSON.parse(readFileSync(stackFile, "utf8"));
      expect(stack.provider.aws.map((p: { alias: string; region: string }) => [p.alias, p.region])).toEqual([
        ["primary", "eu-west-1"],
        ["replica", "eu-central-1"],
      ]);
      expect(Object.values(stack.resource.aws_s3_bucket).map((b) => (b as { bucket: string }).bucket)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^cli-site-primary-\$\{data\.aws_caller_identity\./)]),
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});
