/**
 * Synthesis as a user runs it: `node --require tsx/cjs main.ts` in the project, with the output
 * folder and the configuration file given through the environment (CDKTF_OUTDIR, SITE_CONFIG).
 * A separate process, so the runner synthesizes exactly what `cdktf synth` would.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_NAMES } from "../config/names";
import { SynthError } from "./errors";

/** Options of {@link synthesize}. */
export interface SynthOptions {
  /** The project root (where main.ts is). */
  readonly projectDir: string;
  /** Output folder (CDKTF_OUTDIR). */
  readonly outDir: string;
  /** Configuration file (SITE_CONFIG). */
  readonly configFile: string;
  /** Base environment of the child. */
  readonly env?: Record<string, string | undefined>;
}

/** A synthesized stack: its folder (Terraform's working directory) and its parsed JSON. */
export interface SynthResult {
  readonly stackDir: string;
  readonly json: Record<string, unknown>;
  readonly ms: number;
}

/** Runs main.ts; a configuration error comes back as SynthError quoting main.ts's message. */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "main.ts"], {
    cwd: options.projectDir,
    env: { ...(options.env ?? process.env), CDKTF_OUTDIR: options.outDir, SITE_CONFIG: options.configFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new SynthError(output);
  const stackDir = join(options.outDir, "stacks", STACK_NAMES.storage);
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
  return { stackDir, json, ms: Date.now() - started };
}
