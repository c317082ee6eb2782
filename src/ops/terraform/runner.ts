/**
 * A thin Terraform runner: runs the CLI (through `runProcess`) in one working directory with a
 * fixed environment, times it and, given a log folder, writes each command's output to a log
 * file. No retries, no parsing beyond what the caller asks for (`show -json`, `output -json`).
 * The one place `terraform show -json` runs: the pipeline, the local run and `npm run guard`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "../run-process";
import { TerraformError } from "./errors";

/** Parallel resource operations in apply, plan and destroy. The default (10) would queue the
 * four ~55 s lifecycle-configuration waits behind other work; 30 lets them all overlap. */
const PARALLELISM = 30;

/** The raw state as `terraform state pull` prints it (the parts read here). */
export interface RawState {
  readonly resources?: readonly {
    readonly mode: "managed" | "data";
    readonly type: string;
    readonly name: string;
    readonly instances: readonly { readonly attributes?: Record<string, unknown> }[];
  }[];
}

/** The outcome of one Terraform command. */
export interface RunResult {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Where stdout and stderr were written, when the runner keeps logs. */
  readonly logFile: string | undefined;
}

/** Options of {@link Terraform}. */
export interface TerraformOptions {
  /** The terraform binary. */
  readonly bin: string;
  /** The working directory: the synthesized stack's folder. */
  readonly cwd: string;
  /** The complete environment of every command (nothing else is inherited). */
  readonly env: Record<string, string | undefined>;
  /**
   * One log file per command is written here.
   * @default no log files
   */
  readonly logDir?: string;
}

/**
 * The `Error:` paragraphs of Terraform's output (it prints them boxed on stderr), without the
 * box drawing: what a person needs to know why a command failed.
 */
export function errorParagraphs(output: string): string {
  const lines = output.split("\n").map((line) => line.replace(/^[│╷╵]\s?/, "").trimEnd());
  const kept: string[] = [];
  let inError = false;
  for (const line of lines) {
    if (/^Error: /.test(line)) inError = true;
    else if (/^(Warning: |Plan: |Apply complete|Destroy complete)/.test(line)) inError = false;
    if (inError) kept.push(line);
  }
  const text = kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return text || output.trim().split("\n").slice(-10).join("\n");
}

/** Runs terraform subcommands in one working directory. */
export class Terraform {
  private readonly options: TerraformOptions;
  private sequence = 0;

  constructor(options: TerraformOptions) {
    this.options = options;
    if (options.logDir !== undefined) mkdirSync(options.logDir, { recursive: true });
  }

  /** The working directory. */
  get cwd(): string {
    return this.options.cwd;
  }

  /**
   * Runs `terraform <args>` and resolves with its result whatever the exit code; `ok` lists the
   * codes that count as success (others throw TerraformError with the error paragraphs).
   */
  async run(args: string[], ok: number[] = [0]): Promise<RunResult> {
    const logFile =
      this.options.logDir === undefined
        ? undefined
        : join(this.options.logDir, `${String(++this.sequence).padStart(2, "0")}-${args[0]}.log`);
    // Its own process group, killed with the runner: a Ctrl-C must not leave an apply running
    // against an emulator that is going away.
    const ended = await runProcess(this.options.bin, args, {
      cwd: this.options.cwd,
      env: this.options.env,
      ownGroup: true,
    });
    const { exitCode } = ended;
    const result: RunResult = { args, exitCode, ms: ended.ms, logFile, stdout: ended.stdout, stderr: ended.stderr };
    if (logFile !== undefined) {
      writeFileSync(
        logFile,
        `$ terraform ${args.join(" ")}\n# exit ${exitCode}, ${result.ms} ms\n\n${result.stdout}\n${result.stderr}`,
      );
    }
    if (exitCode === null || !ok.includes(exitCode)) {
      throw new TerraformError(args[0], exitCode, errorParagraphs(`${result.stderr}\n${result.stdout}`), logFile);
    }
    return result;
  }

  /** `terraform init`; `statePath` moves the local backend's state (any tracked path is avoided). */
  init(statePath?: string): Promise<RunResult> {
    const backend = statePath === undefined ? [] : [`-backend-config=path=${statePath}`];
    return this.run(["init", "-input=false", "-no-color", "-reconfigure", ...backend]);
  }

  /**
   * `terraform plan -out=<planFile> -detailed-exitcode`: `changes` is false when the plan is
   * empty (exit 0), true when it has changes (exit 2).
   */
  async plan(planFile: string): Promise<RunResult & { changes: boolean }> {
    const result = await this.run(
      ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-parallelism=${PARALLELISM}`, `-out=${planFile}`],
      [0, 2],
    );
    return { ...result, changes: result.exitCode === 2 };
  }

  /** `terraform show -json <planFile>`: a saved plan as JSON. */
  async showJson(planFile: string): Promise<unknown> {
    const result = await this.run(["show", "-json", "-no-color", planFile]);
    return JSON.parse(result.stdout);
  }

  /** `terraform apply <planFile>`: exactly what was planned (and guarded), nothing else. */
  apply(planFile: string): Promise<RunResult> {
    return this.run(["apply", "-input=false", "-no-color", `-parallelism=${PARALLELISM}`, planFile]);
  }

  /** `terraform output -json`, each value flattened to a string. */
  async outputs(): Promise<Record<string, string>> {
    const result = await this.run(["output", "-json", "-no-color"]);
    const raw = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(
      Object.entries(raw).map(([name, output]) => [
        name,
        typeof output.value === "string" ? output.value : JSON.stringify(output.value),
      ]),
    );
  }

  /**
   * `terraform destroy -auto-approve`. `refresh: false` skips reading every resource first:
   * only for a state refreshed moments ago (deleting needs ids, which do not drift).
   */
  destroy(options: { refresh?: boolean } = {}): Promise<RunResult> {
    const refresh = options.refresh === false ? ["-refresh=false"] : [];
    return this.run([
      "destroy",
      "-auto-approve",
      "-input=false",
      "-no-color",
      `-parallelism=${PARALLELISM}`,
      ...refresh,
    ]);
  }

  /** `terraform state rm <addresses>`: Terraform forgets them; nothing is deleted. */
  stateRemove(addresses: readonly string[]): Promise<RunResult> {
    return this.run(["state", "rm", ...addresses]);
  }

  /**
   * `terraform state pull`: the raw state (format version 4), read without starting the
   * provider, so in a fraction of the time `show -json` takes (which loads the provider's
   * schema, seconds for the AWS provider).
   */
  async statePull(): Promise<RawState> {
    const result = await this.run(["state", "pull"]);
    return (result.stdout.trim() === "" ? { resources: [] } : JSON.parse(result.stdout)) as RawState;
  }
}
