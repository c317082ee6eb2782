/**
 * What a local run found, and the parts of what it prints: the timing summary (where the time
 * goes) and the slowest resources of the apply. Pure functions from data to text; the command
 * (`cli/local.ts`) puts them together with the table of checks and prints.
 */
import { join } from "node:path";
import { textTable } from "../../common/text";
import type { GuardResult } from "../plan/guard";
import type { ReplanVerdict } from "../plan/replan";
import type { VerifyRow } from "../verify/row";
import { stackDirIn } from "../terraform/synth";
import type { EmptiedBucket } from "./session";

/** One step of the run and how long it took. */
export interface StepTiming {
  readonly name: string;
  readonly ms: number;
  /** When it started, in ms since the run started. */
  readonly at?: number;
  readonly ok: boolean;
  /** A few words: what it did, or why it failed. */
  readonly detail?: string;
  /** The steps it ran beside (their times overlap: the shares add up to more than the total). */
  readonly alongside?: string;
}

/** Everything a run found out. */
export interface RunReport {
  /** True when every step and every check passed. */
  readonly ok: boolean;
  readonly steps: readonly StepTiming[];
  readonly checks: readonly VerifyRow[];
  /** Why the run failed, one line per reason (empty when ok). */
  readonly failures: readonly string[];
  readonly totalMs: number;
  /** The work folder; removed after a clean run without `keep`. */
  readonly workDir?: string;
  readonly emulator?: { readonly pid: number; readonly endpoint: string; readonly kept: boolean };
  /** `terraform output -json` of the deployment, values flattened. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly guard?: GuardResult;
  readonly replan?: ReplanVerdict;
  /** Per-resource durations of the apply, slowest first. */
  readonly applyTimings: readonly ResourceTiming[];
  /** Buckets the teardown had to empty before Terraform could delete them. */
  readonly emptied: readonly EmptiedBucket[];
  /** What the emulator cannot show (run `npm run verify` against AWS for it). */
  readonly notShown: readonly string[];
  /** The environment of the run's children (emulator endpoint, test credentials, CLI config). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A resource operation Terraform reported with its duration. */
export interface ResourceTiming {
  readonly address: string;
  /** "Creation", "Destruction", "Modifications". */
  readonly operation: string;
  readonly seconds: number;
}

/** Seconds with one decimal: `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Each step's time and share of the total, slowest first, then the total. A step that ran beside
 * others says so: overlapping times are each counted in full.
 */
export function timingSummary(steps: readonly StepTiming[], totalMs: number): string {
  const rows = [...steps]
    .sort((a, b) => b.ms - a.ms)
    .map((s) => [
      s.name,
      seconds(s.ms),
      `${totalMs > 0 ? Math.round((100 * s.ms) / totalMs) : 0}%`,
      [s.alongside === undefined ? "" : `beside ${s.alongside}`, s.detail ?? ""].filter((x) => x !== "").join("; "),
    ]);
  const overlap = steps.some((s) => s.alongside !== undefined) ? " (steps side by side overlap)" : "";
  return `${textTable(["step", "time", "share", "note"], rows, { maxWidth: 70 })}\ntotal ${seconds(totalMs)}${overlap}`;
}

/**
 * Per-resource durations from Terraform's apply/destroy output
 * (`<address>: Creation complete after 55s [id=…]`), slowest first.
 */
export function resourceTimings(output: string): ResourceTiming[] {
  const timings: ResourceTiming[] = [];
  const pattern = /^(\S+): (Creation|Destruction|Modifications) complete after (?:(\d+)m)?(\d+)s/gm;
  for (const match of output.matchAll(pattern)) {
    timings.push({ address: match[1], operation: match[2], seconds: Number(match[3] ?? 0) * 60 + Number(match[4]) });
  }
  return timings.sort((a, b) => b.seconds - a.seconds);
}

/** The slowest resources as lines, with a note on the lifecycle-configuration wait when it shows. */
export function slowestResources(timings: readonly ResourceTiming[], count = 5): string {
  if (timings.length === 0) return "";
  const lines = timings
    .slice(0, count)
    .map((t) => `  ${String(t.seconds).padStart(3)} s  ${t.operation.toLowerCase()} ${t.address}`);
  const lifecycle = timings.filter(
    (t) => t.address.startsWith("aws_s3_bucket_lifecycle_configuration.") && t.seconds >= 30,
  );
  const note =
    lifecycle.length === 0
      ? []
      : [
          `  (${lifecycle.length} lifecycle configuration(s), concurrently: the AWS provider waits until it reads the same rules`,
          "   back 10 times in a row, 5 s apart after a 10 s delay, before it reports them created; inherent to the provider)",
        ];
  return ["Slowest resources:", ...lines, ...note].join("\n");
}

/** How to reach and stop a kept emulator (empty when the emulator was not kept). */
export function keepInstructions(report: RunReport): string {
  if (report.emulator === undefined || !report.emulator.kept) return "";
  const env = report.env;
  const region = env.AWS_REGION ?? "us-east-1";
  const exports = [
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_USE_PATH_STYLE",
    "AWS_REGION",
    "TF_CLI_CONFIG_FILE",
  ].map((name) => `  export ${name}=${env[name] ?? ""}`);
  const bucket = report.outputs.primary_bucket_name ?? "<bucket>";
  const stackDir = report.workDir === undefined ? "" : stackDirIn(join(report.workDir, "cdktf.out"));
  return [
    "",
    `The emulator is still running: ${report.emulator.endpoint} (pid ${report.emulator.pid}).`,
    "Reach it with these variables (the AWS CLI, the SDKs and Terraform read them):",
    ...exports,
    `  aws s3api get-bucket-encryption --bucket ${bucket} --region ${region}`,
    `  cd ${stackDir} && terraform state list`,
    "Stop it (everything in it is discarded):",
    `  kill ${report.emulator.pid}`,
    `and remove the work folder: rm -rf ${report.workDir}`,
    "",
  ].join("\n");
}
