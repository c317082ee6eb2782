/**
 * One local deployment's surroundings: a fresh work folder, a fresh emulator, the Terraform CLI
 * configuration, the environment every child gets, and the Terraform working directory of the
 * synthesized stack. The runner drives it step by step; tests drive it too (re-synthesize with
 * another config, plan, guard) without going through the command line.
 *
 * Nothing is shared between sessions: a new emulator and a new state file each time, so a run
 * that failed half-way leaves nothing for the next one to trip over.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BucketRef, emptyBucket } from "./empty-buckets";
import { Emulator, AMBIENT_AWS_VARIABLES, emulatorEnv, startEmulator } from "./emulator";
import { TerraformError } from "./errors";
import { parsePlanJson, PlanJson } from "./plan-json";
import { writeRunConfig } from "./run-config";
import { SynthResult, synthesize } from "./synth";
import { RunResult, Terraform } from "./terraform";
import { LocalTools, discoverTools, writeCliConfig } from "./tools";

/** Options of {@link LocalSession.open}. */
export interface SessionOptions {
  /** The project root (main.ts). */
  readonly projectDir: string;
  /** The work folder is created inside: an ignored or temporary folder, never a tracked one. */
  readonly workRoot: string;
  /** The region the AWS CLI and SDK default to (the primary region). */
  readonly region: string;
  /**
   * The environment children start from (ambient AWS credentials and profiles are removed).
   * @default process.env
   */
  readonly baseEnv?: Record<string, string | undefined>;
  /**
   * Port to try first for the emulator.
   * @default a free port
   */
  readonly preferredPort?: number;
  /**
   * The tools to use.
   * @default discoverTools()
   */
  readonly tools?: LocalTools;
}

/** A saved plan and what `terraform show -json` says about it. */
export interface SavedPlan {
  readonly file: string;
  readonly json: PlanJson;
  /** False when the plan is empty (`-detailed-exitcode` 0). */
  readonly changes: boolean;
  readonly ms: number;
}

/** What a two-phase destroy had to empty. */
export interface DestroyResult {
  readonly ms: number;
  /** Buckets emptied between the two phases, with the number of versions deleted. */
  readonly emptied: readonly { bucket: string; objects: number }[];
  /** The output of the last destroy, for per-resource timings. */
  readonly output: string;
}

/** Whether every error of a failed destroy is S3 refusing to delete a bucket that holds objects. */
export function onlyNonEmptyBuckets(error: unknown): boolean {
  if (!(error instanceof TerraformError)) return false;
  const errors = error.diagnostics.split(/\n(?=Error: )/).filter((p) => p.startsWith("Error: "));
  return errors.length > 0 && errors.every((p) => /BucketNotEmpty/.test(p));
}

/** A work folder, an emulator and a Terraform working directory for one deployment. */
export class LocalSession {
  readonly workDir: string;
  readonly tools: LocalTools;
  readonly emulator: Emulator;
  /** The environment of every child (Terraform, synthesis) and of SDK clients. */
  readonly env: Record<string, string | undefined>;
  readonly cliConfigFile: string;
  /** The local backend's state file, inside the work folder. */
  readonly statePath: string;
  readonly projectDir: string;
  private tf?: Terraform;
  private synthCount = 0;
  /** The last synthesis. */
  synthesized?: SynthResult;

  private constructor(fields: {
    workDir: string; tools: LocalTools; emulator: Emulator; env: Record<string, string | undefined>;
    cliConfigFile: string; projectDir: string;
  }) {
    this.workDir = fields.workDir;
    this.tools = fields.tools;
    this.emulator = fields.emulator;
    this.env = fields.env;
    this.cliConfigFile = fields.cliConfigFile;
    this.projectDir = fields.projectDir;
    this.statePath = join(fields.workDir, "terraform.tfstate");
  }

  /** Creates the work folder, writes the CLI configuration and starts the emulator. */
  static async open(options: SessionOptions): Promise<LocalSession> {
    const tools = options.tools ?? discoverTools(options.baseEnv ?? process.env);
    mkdirSync(options.workRoot, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
    const workDir = mkdtempSync(join(options.workRoot, `run-${stamp}-`));
    const cliConfigFile = writeCliConfig(workDir, tools.providerMirror);
    const emulator = await startEmulator({
      motoServer: tools.motoServer, logFile: join(workDir, "emulator.log"), preferredPort: options.preferredPort,
    });
    const env: Record<string, string | undefined> = { ...(options.baseEnv ?? process.env) };
    for (const name of AMBIENT_AWS_VARIABLES) delete env[name];
    Object.assign(env, emulatorEnv(emulator.endpoint, options.region), {
      TF_CLI_CONFIG_FILE: cliConfigFile,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
    });
    return new LocalSession({ workDir, tools, emulator, env, cliConfigFile, projectDir: options.projectDir });
  }

  /** The Terraform runner of the synthesized stack (after the first synth). */
  get terraform(): Terraform {
    if (this.tf === undefined) throw new Error("synthesize before running Terraform");
    return this.tf;
  }

  /**
   * Synthesizes with this configuration (written into the work folder as a file) into the
   * session's one output folder: a later synth replaces the stack JSON in the same Terraform
   * working directory, so the next plan compares it with the deployed state.
   */
  async synth(config: Record<string, unknown>): Promise<SynthResult> {
    const configFile = writeRunConfig(this.workDir, config, `site.config.${++this.synthCount}.json`);
    const result = await synthesize({
      projectDir: this.projectDir, outDir: join(this.workDir, "cdktf.out"), configFile, env: this.env,
    });
    this.synthesized = result;
    this.tf ??= new Terraform({ bin: this.tools.terraform, cwd: result.stackDir, env: this.env, logDir: join(this.workDir, "logs") });
    return result;
  }

  /** `terraform init`, with the state kept in the work folder whatever the stack's backend says. */
  init(): Promise<RunResult> {
    return this.terraform.init(this.statePath);
  }

  /** Plans into `<workDir>/<name>.tfplan` and reads it back as JSON. */
  async plan(name: string): Promise<SavedPlan> {
    const file = join(this.workDir, `${name}.tfplan`);
    const result = await this.terraform.plan(file);
    const json = parsePlanJson(await this.terraform.showJson(file), file);
    return { file, json, changes: result.changes, ms: result.ms };
  }

  /** Applies a saved plan. */
  apply(plan: SavedPlan): Promise<RunResult> {
    return this.terraform.apply(plan.file);
  }

  /** `terraform show -json` of the current state. */
  state(): Promise<unknown> {
    return this.terraform.showJson();
  }

  /**
   * Destroys everything in the state. Buckets keep `force_destroy` off, so when S3 refuses to
   * delete buckets that hold objects (access logs, always), they are emptied (every version and
   * delete marker) and the destroy runs again. Any other error is thrown as is.
   */
  async destroy(): Promise<DestroyResult> {
    const started = Date.now();
    try {
      const result = await this.terraform.destroy();
      return { ms: Date.now() - started, emptied: [], output: result.stdout };
    } catch (error) {
      if (!onlyNonEmptyBuckets(error)) throw error;
    }
    const buckets: BucketRef[] = ((await this.terraform.statePull()).resources ?? [])
      .filter((r) => r.mode === "managed" && r.type === "aws_s3_bucket")
      .flatMap((r) => r.instances.map((i) => ({ name: String(i.attributes?.bucket), region: String(i.attributes?.region) })));
    const emptied: { bucket: string; objects: number }[] = [];
    for (const bucket of buckets) emptied.push({ bucket: bucket.name, objects: await emptyBucket(bucket, this.env) });
    // The first pass refreshed everything and only objects changed since: no second refresh.
    const result = await this.terraform.destroy({ refresh: false });
    return { ms: Date.now() - started, emptied, output: result.stdout };
  }

  /** Managed resources still in the state, as `<type>.<name>`. */
  async remaining(): Promise<string[]> {
    return ((await this.terraform.statePull()).resources ?? [])
      .filter((r) => r.mode === "managed" && r.instances.length > 0)
      .map((r) => `${r.type}.${r.name}`);
  }

  /**
   * Stops the emulator (or, with `keep`, leaves it running for the user) and removes the work
   * folder when asked. Safe to call twice.
   */
  async close(options: { keep?: boolean; removeWorkDir?: boolean } = {}): Promise<void> {
    if (options.keep) this.emulator.detach();
    else await this.emulator.stop();
    if (options.removeWorkDir && !options.keep) rmSync(this.workDir, { recursive: true, force: true });
  }
}
