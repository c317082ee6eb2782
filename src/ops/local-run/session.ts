/**
 * One local deployment's surroundings: a fresh work folder, a fresh emulator, the Terraform CLI
 * configuration, the environment every child gets, and the Terraform working directory of the
 * synthesized stack. The local run drives it step by step.
 *
 * Nothing is shared between sessions: a new emulator and a new state file each time, so a run
 * that failed half-way leaves nothing for the next one to trip over.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DeleteBucketPolicyCommand, PutBucketLoggingCommand } from "@aws-sdk/client-s3";
import { AwsClients } from "../aws-clients";
import { AMBIENT_AWS_VARIABLES, Emulator, emulatorEnv, startEmulator } from "../emulator/emulator";
import { PlanJson, parsePlanJson } from "../plan/plan-json";
import { writeCliConfig } from "../terraform/cli-config";
import { terraformEnv } from "../terraform/env";
import { TerraformError } from "../terraform/errors";
import { RawState, RunResult, Terraform } from "../terraform/runner";
import { PROJECT_DIR, SynthResult, synthesize, writeConfigFile } from "../terraform/synth";
import { LocalTools } from "../tools";
import { BucketRef, emptyBucket } from "./empty-buckets";

/** Where local runs keep their work folders (git-ignored). */
const WORK_ROOT = join(PROJECT_DIR, ".local-run");

/** Options of {@link LocalSession.open}. */
export interface SessionOptions {
  /** The region the AWS CLI and SDK default to (the primary region). */
  readonly region: string;
  /** The tools found on this machine. */
  readonly tools: LocalTools;
  /**
   * Port to try first for the emulator.
   * @default a free port
   */
  readonly preferredPort?: number;
}

/** A saved plan and what `terraform show -json` says about it. */
export interface SavedPlan {
  readonly file: string;
  readonly json: PlanJson;
}

/** What {@link LocalSession.destroy} did besides destroying: the buckets it emptied, the key policies it forgot. */
export interface Teardown {
  readonly emptied: readonly EmptiedBucket[];
  /** The `aws_kms_key_policy` addresses removed from the state rather than destroyed. */
  readonly forgotten: readonly string[];
}

/** A bucket the teardown emptied, and how many versions it held. */
export interface EmptiedBucket {
  readonly bucket: string;
  readonly objects: number;
}

/** Whether every error of a failed destroy is S3 refusing to delete a bucket that holds objects. */
export function onlyNonEmptyBuckets(error: unknown): boolean {
  if (!(error instanceof TerraformError)) return false;
  const errors = error.diagnostics.split(/\n(?=Error: )/).filter((p) => p.startsWith("Error: "));
  return errors.length > 0 && errors.every((p) => /BucketNotEmpty/.test(p));
}

/** The buckets in a state, with their regions. */
function bucketsIn(state: RawState): BucketRef[] {
  return (state.resources ?? [])
    .filter((r) => r.mode === "managed" && r.type === "aws_s3_bucket")
    .flatMap((r) =>
      r.instances.map((i) => ({ name: String(i.attributes?.bucket), region: String(i.attributes?.region) })),
    );
}

/** A work folder, an emulator and a Terraform working directory for one deployment. */
export class LocalSession {
  readonly workDir: string;
  /** The local backend's state file, inside the work folder. */
  readonly statePath: string;
  private readonly options: SessionOptions;
  private readonly cliConfigFile: string;
  /** The caller's environment without ambient AWS settings: what synthesis runs with. */
  private readonly baseEnv: Record<string, string | undefined>;
  private started?: { readonly emulator: Emulator; readonly env: Record<string, string | undefined> };
  private tf?: Terraform;
  private stackDir?: string;
  private synthCount = 0;

  private constructor(options: SessionOptions) {
    mkdirSync(WORK_ROOT, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
    this.workDir = mkdtempSync(join(WORK_ROOT, `run-${stamp}-`));
    this.statePath = join(this.workDir, "terraform.tfstate");
    this.options = options;
    this.cliConfigFile = writeCliConfig(this.workDir, options.tools.providerMirror);
    this.baseEnv = { ...process.env };
    for (const name of AMBIENT_AWS_VARIABLES) delete this.baseEnv[name];
  }

  /** Creates the work folder, writes the CLI configuration and starts the emulator. */
  static async open(options: SessionOptions): Promise<LocalSession> {
    const session = LocalSession.prepare(options);
    await session.startEmulator();
    return session;
  }

  /**
   * Creates the work folder and writes the CLI configuration, without the emulator: synthesis
   * needs none, so a caller can start the emulator ({@link startEmulator}) and synthesize at once.
   */
  static prepare(options: SessionOptions): LocalSession {
    return new LocalSession(options);
  }

  /** Starts the session's emulator on a free loopback port. */
  async startEmulator(): Promise<Emulator> {
    if (this.started !== undefined) throw new Error("the session's emulator is already started");
    const emulator = await startEmulator({
      motoServer: this.options.tools.motoServer,
      logFile: join(this.workDir, "emulator.log"),
      preferredPort: this.options.preferredPort,
    });
    const env = terraformEnv({
      base: { ...this.baseEnv, ...emulatorEnv(emulator.endpoint, this.options.region) },
      cliConfigFile: this.cliConfigFile,
    });
    this.started = { emulator, env };
    return emulator;
  }

  /** The session's emulator (once started). */
  get emulator(): Emulator {
    if (this.started === undefined) throw new Error("start the session's emulator first");
    return this.started.emulator;
  }

  /** The session's emulator, or undefined when it was never started. */
  get emulatorIfStarted(): Emulator | undefined {
    return this.started?.emulator;
  }

  /** The environment of every Terraform child and of SDK clients: the emulator's (once started). */
  get env(): Record<string, string | undefined> {
    if (this.started === undefined) throw new Error("start the session's emulator first");
    return this.started.env;
  }

  /** The Terraform runner of the synthesized stack (after the first synth, with the emulator up). */
  get terraform(): Terraform {
    if (this.stackDir === undefined) throw new Error("synthesize before running Terraform");
    this.tf ??= new Terraform({
      bin: this.options.tools.terraform,
      cwd: this.stackDir,
      env: this.env,
      logDir: join(this.workDir, "logs"),
    });
    return this.tf;
  }

  /**
   * Synthesizes with this configuration (written into the work folder as a file) into the
   * session's one output folder: a later synth replaces the stack JSON in the same Terraform
   * working directory, so the next plan compares it with the deployed state. Synthesis reads
   * no AWS setting, so it runs without the emulator's environment.
   */
  async synth(config: Record<string, unknown>): Promise<SynthResult> {
    const configFile = writeConfigFile(this.workDir, config, `site.config.${++this.synthCount}.json`);
    const result = await synthesize({ outDir: join(this.workDir, "cdktf.out"), configFile, env: this.baseEnv });
    this.stackDir ??= result.stackDir;
    return result;
  }

  /** `terraform init`, with the state kept in the work folder whatever the stack's backend says. */
  init(): Promise<RunResult> {
    return this.terraform.init(this.statePath);
  }

  /** Plans into `<workDir>/<name>.tfplan` and reads it back as JSON. */
  async plan(name: string): Promise<SavedPlan> {
    return this.readPlan(await this.planOnly(name));
  }

  /** Plans into `<workDir>/<name>.tfplan`; returns the file. */
  async planOnly(name: string): Promise<string> {
    const file = join(this.workDir, `${name}.tfplan`);
    await this.terraform.plan(file);
    return file;
  }

  /**
   * A saved plan read back as JSON (`terraform show -json`). It reads the plan file alone (the
   * prior state and configuration are inside it), so it may run while Terraform changes the
   * deployment.
   */
  async readPlan(file: string): Promise<SavedPlan> {
    return { file, json: parsePlanJson(await this.terraform.showJson(file), file) };
  }

  /** Applies a saved plan. */
  apply(plan: SavedPlan): Promise<RunResult> {
    return this.terraform.apply(plan.file);
  }

  /**
   * Destroys everything in the state, in one Terraform pass when it can. Buckets keep
   * `force_destroy` off, and S3 refuses to delete a bucket that holds objects: the log buckets
   * always do (moto delivers access logs for real, at once). So the buckets are readied first,
   * as a careful teardown on AWS would be: access logging off (no new log can arrive), bucket
   * policies deleted (the emulator enforces their TLS-only deny with its condition ignored,
   * emulator difference bucket-policy-conditions-ignored), every version and delete marker
   * deleted. Meanwhile the key policies leave the state (see {@link forgetKeyPolicies}).
   * Terraform then destroys without refreshing (the re-plan has just read everything),
   * deleting what was already gone without complaint. Should a bucket still hold an object,
   * that pass fails with BucketNotEmpty only, and one more emptying and pass finish the job. Any
   * other error is thrown as is.
   */
  async destroy(): Promise<Teardown> {
    const state = this.readState();
    const [emptied, forgotten] = await Promise.all([
      this.readyBuckets(bucketsIn(state)),
      this.forgetKeyPolicies(state),
    ]);
    try {
      await this.terraform.destroy({ refresh: false });
      return { emptied, forgotten };
    } catch (error) {
      if (!onlyNonEmptyBuckets(error)) throw error;
    }
    const again = await this.readyBucketsForDeletion();
    await this.terraform.destroy({ refresh: false });
    return { emptied: [...emptied, ...again].filter((e) => e.objects > 0), forgotten };
  }

  /**
   * Removes every `aws_kms_key_policy` from the state (`terraform state rm`) instead of letting
   * the destroy delete it. A key policy is not an object of its own but the key's policy, and
   * the provider "deletes" one by putting the account's default policy back and waiting until
   * KMS serves it (`resourceKeyPolicyDelete` → `updateKeyPolicy` → `waitKeyPolicyPropagated`,
   * internal/service/kms/key_policy.go and key.go of the provider), about 5 s, on the destroy's
   * longest path, moments before the same destroy schedules the key itself for deletion.
   * Nothing is left behind: the key goes, with its policy.
   */
  private async forgetKeyPolicies(state: RawState): Promise<string[]> {
    const addresses = (state.resources ?? [])
      .filter((r) => r.mode === "managed" && r.type === "aws_kms_key_policy" && r.instances.length > 0)
      .map((r) => `${r.type}.${r.name}`);
    if (addresses.length > 0) await this.terraform.stateRemove(addresses);
    return addresses;
  }

  /**
   * Logging off and policies deleted on every bucket still in the state, then each emptied;
   * returns what each held. What {@link destroy} does first; the benchmark's floor does it,
   * untimed, before its bare `terraform destroy`.
   */
  async readyBucketsForDeletion(): Promise<EmptiedBucket[]> {
    return this.readyBuckets(bucketsIn(this.readState()));
  }

  private async readyBuckets(buckets: readonly BucketRef[]): Promise<EmptiedBucket[]> {
    const clients = new AwsClients(this.env);
    try {
      await Promise.all(
        buckets.map((b) =>
          clients.s3(b.region).send(new PutBucketLoggingCommand({ Bucket: b.name, BucketLoggingStatus: {} })),
        ),
      );
      await Promise.all(
        buckets.map((b) => clients.s3(b.region).send(new DeleteBucketPolicyCommand({ Bucket: b.name }))),
      );
      return await Promise.all(
        buckets.map(async (bucket) => ({ bucket: bucket.name, objects: await emptyBucket(bucket, clients) })),
      );
    } finally {
      clients.destroy();
    }
  }

  /**
   * The session's state, read from its file: `init` points the local backend at `statePath`, and
   * only Terraform, between the commands the session runs one after another, writes it. Reading
   * the file spares a `terraform state pull` (0.6 s, most of it Terraform starting).
   */
  private readState(): RawState {
    if (!existsSync(this.statePath)) return { resources: [] };
    return JSON.parse(readFileSync(this.statePath, "utf8")) as RawState;
  }

  /** Managed resources still in the state, as `<type>.<name>`. */
  async remaining(): Promise<string[]> {
    return (this.readState().resources ?? [])
      .filter((r) => r.mode === "managed" && r.instances.length > 0)
      .map((r) => `${r.type}.${r.name}`);
  }

  /**
   * Stops the emulator (or, with `keep`, leaves it running for the user) and removes the work
   * folder when asked. Safe to call twice.
   */
  async close(options: { keep?: boolean; removeWorkDir?: boolean } = {}): Promise<void> {
    if (options.keep) this.started?.emulator.detach();
    else await this.started?.emulator.stop();
    if (options.removeWorkDir && !options.keep) rmSync(this.workDir, { recursive: true, force: true });
  }
}
