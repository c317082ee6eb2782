/**
 * Synthesis as a user runs it: cdktf.json's `app` (`node --require ./register-ts.cjs main.ts`) in
 * the project, with the output folder and the configuration file given through the environment
 * (CDKTF_OUTDIR, SITE_CONFIG).
 * A separate process, so what operates on deployments synthesizes exactly what `cdktf synth`
 * would, and never loads the constructs itself.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { STACK_NAMES } from "../../config/names";
import { runProcess } from "../run-process";
import { SynthError } from "./errors";

/** The project root, where main.ts and cdktf.json are. */
export const PROJECT_DIR = resolve(__dirname, "..", "..", "..");

/** Options of {@link synthesize}. */
export interface SynthOptions {
  /** Output folder (CDKTF_OUTDIR). */
  readonly outDir: string;
  /** Configuration file (SITE_CONFIG). */
  readonly configFile: string;
  /**
   * Base environment of the child.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The stack whose JSON is read back.
   * @default STACK_NAMES.storage
   */
  readonly stack?: string;
}

/** A synthesized stack: its folder (Terraform's working directory) and its parsed JSON. */
export interface SynthResult {
  readonly stackDir: string;
  readonly json: Record<string, unknown>;
}

/** The folder of one synthesized stack in an output folder. */
export function stackDirIn(outDir: string, stack: string = STACK_NAMES.storage): string {
  return join(outDir, "stacks", stack);
}

/** Runs main.ts; a configuration error comes back as SynthError quoting main.ts's message. */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const ended = await runProcess(process.execPath, ["--require", "./register-ts.cjs", "main.ts"], {
    cwd: PROJECT_DIR,
    env: { ...(options.env ?? process.env), CDKTF_OUTDIR: options.outDir, SITE_CONFIG: options.configFile },
  });
  if (ended.exitCode !== 0) throw new SynthError(`${ended.stdout}${ended.stderr}`);
  const stackDir = stackDirIn(options.outDir, options.stack);
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
  return { stackDir, json };
}

/** Writes a configuration document into `dir` as `name`, for SITE_CONFIG; returns its path. */
export function writeConfigFile(dir: string, raw: Record<string, unknown>, name = "site.config.json"): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(raw, null, 2)}\n`);
  return path;
}
