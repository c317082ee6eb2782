// `npm run bench [-- --runs N] [-- --local] [-- --publish]`: the project's own benchmark. Each figure is the
// median of N fresh runs (default 5), printed beside its budget from the issues; exits
// non-zero when a median is over budget.
//   synth   the command in cdktf.json's `app` (what `cdktf synth` runs): wall time and peak RSS
//   unit    the whole unit suite (`npm run test:unit`), wall time
//   local   with --local: the whole `npm run local` (emulator, deploy, verify, destroy), wall
//           time, and the median of each of its steps (the step list is the run's own report);
//           beside each run, the floor: a bare `terraform init && terraform apply -auto-approve
//           && terraform destroy -auto-approve` of the same synthesized stack on a fresh emulator
//           (bench/floor.ts), and the local run's median as a ratio to the floor's median.
//           With the default settings (the CDN stage on); `--no-cdn` benches the storage-only
//           stack (`cdn.enabled: false`) instead; `--local-only` skips the synth and unit figures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../src/ops/run-process";
import { floorRun } from "./floor";

const root = resolve(__dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const localOnly = args.includes("--local-only");
const withLocal = localOnly || args.includes("--local");
const withoutCdn = args.includes("--no-cdn");
// `--publish`: publish beside `aws s3 sync` on the emulator instead (bench/publish-bench.ts).
if (args.includes("--publish")) {
  // The child owns the terminal (its progress streams), so it is not run through runProcess, which captures.
  const child = spawnSync(process.execPath, ["--require", "tsx/cjs", join(__dirname, "publish-bench.ts"), ...args], {
    cwd: root,
    stdio: "inherit",
  });
  process.exit(child.status ?? 1);
}

interface Sample {
  wallSeconds: number;
  peakRssBytes: number;
  dir: string;
}

/** Runs a shell command once in a fresh process; fails loudly if it fails. */
async function measure(command: string, env: Record<string, string> = {}): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  command = command.replace("$BENCH_DIR", dir);
  const rssFile = join(dir, "rss");
  const started = process.hrtime.bigint();
  const result = await runProcess("/bin/sh", ["-c", command], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(root, "bench", "report-rss.js")}`.trim(),
    },
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.exitCode !== 0) {
    throw new Error(`"${command}" failed (exit ${result.exitCode}):\n${result.stderr.slice(-2000)}`);
  }
  let peakRssBytes = NaN;
  try {
    peakRssBytes = Number(readFileSync(rssFile, "utf8"));
  } catch {
    /* not a node process */
  }
  return { wallSeconds, peakRssBytes, dir };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Figure {
  name: string;
  value: number;
  budget: number;
  unit: string;
  samples: number[];
}
const figures: Figure[] = [];

/** Runs `command` N times; `inspect` reads what a run left in its $BENCH_DIR before it is removed. */
async function bench(
  name: string,
  command: string,
  wallBudget: number,
  rssBudgetMb?: number,
  env?: Record<string, string>,
  inspect?: (dir: string) => void,
): Promise<void> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await measure(command, env));
    process.stderr.write(`  ${name} run ${i + 1}/${runs}: ${samples[i].wallSeconds.toFixed(2)} s\n`);
    inspect?.(samples[i].dir);
    rmSync(samples[i].dir, { recursive: true, force: true });
  }
  figures.push({
    name: `${name} wall`,
    value: median(samples.map((s) => s.wallSeconds)),
    budget: wallBudget,
    unit: "s",
    samples: samples.map((s) => s.wallSeconds),
  });
  if (rssBudgetMb !== undefined) {
    const mb = samples.map((s) => s.peakRssBytes / 1e6);
    figures.push({ name: `${name} peak RSS`, value: median(mb), budget: rssBudgetMb, unit: "MB", samples: mb });
  }
}

/** Each step's durations across the local runs, in the order the runs report them. */
const stepSamples = new Map<string, number[]>();
function readLocalReport(dir: string): void {
  const report = JSON.parse(readFileSync(join(dir, "local.json"), "utf8")) as {
    ok: boolean;
    steps: { name: string; ms: number }[];
  };
  if (!report.ok) throw new Error(`npm run local reported a failure: see ${join(dir, "local.json")}`);
  for (const step of report.steps) stepSamples.set(step.name, [...(stepSamples.get(step.name) ?? []), step.ms / 1000]);
}
/** The local run's wall-time budget, and its ratio to the floor's (issue target: at most 1.15). */
const LOCAL_BUDGET_SECONDS = 80;
const FLOOR_RATIO_BUDGET = 1.15;

/**
 * `npm run local` and the floor, alternating run by run so both see the same machine load, with
 * the same settings file (SITE_CONFIG). The ratio is of the two medians.
 */
async function benchLocal(): Promise<void> {
  const settingsDir = mkdtempSync(join(tmpdir(), "bench-settings-"));
  const settingsFile = join(settingsDir, "site.config.json");
  writeFileSync(settingsFile, JSON.stringify(withoutCdn ? { cdn: { enabled: false } } : {}));
  const local: number[] = [];
  const floor: number[] = [];
  const label = withoutCdn ? "without the CDN" : "with the CDN";
  try {
    for (let i = 0; i < runs; i++) {
      const sample = await measure("npm run --silent local -- --json $BENCH_DIR/local.json", {
        SITE_CONFIG: settingsFile,
      });
      readLocalReport(sample.dir);
      rmSync(sample.dir, { recursive: true, force: true });
      local.push(sample.wallSeconds);
      process.stderr.write(`  npm run local (${label}) run ${i + 1}/${runs}: ${sample.wallSeconds.toFixed(2)} s\n`);
      floor.push(await floorRun(settingsFile, (line) => process.stderr.write(`    floor: ${line}\n`)));
      process.stderr.write(`  floor (${label}) run ${i + 1}/${runs}: ${floor[i].toFixed(2)} s\n`);
    }
  } finally {
    rmSync(settingsDir, { recursive: true, force: true });
  }
  figures.push({
    name: `npm run local wall`,
    value: median(local),
    budget: LOCAL_BUDGET_SECONDS,
    unit: "s",
    samples: local,
  });
  floorSeconds.push(...floor);
  figures.push({
    name: `local / floor (${withoutCdn ? "no CDN" : "CDN"})`,
    value: median(local) / median(floor),
    budget: FLOOR_RATIO_BUDGET,
    unit: "x",
    samples: local.map((l, i) => l / floor[i]),
  });
}
const floorSeconds: number[] = [];

/** Runs every figure, prints the table; exits 1 when a median is over its budget. */
async function main(): Promise<number> {
  if (!localOnly) {
    const app = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app as string;
    const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
    await bench("synth (cdktf.json app)", app, 0.45, 200, { CDKTF_OUTDIR: outdir });
    rmSync(outdir, { recursive: true, force: true });
    await bench("unit suite", "npm run --silent test:unit -- --silent", 20);
  }
  if (withLocal) await benchLocal();

  console.log(`\nmedians of ${runs} runs on ${cpus().length} cores\n`);
  console.log("figure                        median      budget   status   samples");
  let over = false;
  for (const f of figures) {
    const ok = f.value <= f.budget;
    over ||= !ok;
    console.log(
      `${f.name.padEnd(28)} ${f.value.toFixed(2).padStart(8)} ${f.unit.padEnd(2)} ${`≤ ${f.budget}`.padStart(8)} ${f.unit.padEnd(2)} ${ok ? "ok  " : "OVER"}   ${f.samples.map((s) => s.toFixed(2)).join(" ")}`,
    );
  }
  if (floorSeconds.length > 0) {
    console.log(
      `\nfloor (bare terraform init, apply, destroy)  median ${median(floorSeconds).toFixed(2)} s    ${floorSeconds.map((x) => x.toFixed(2)).join(" ")}`,
    );
  }
  if (stepSamples.size > 0) {
    console.log("\nnpm run local, by step        median");
    for (const [step, samples] of stepSamples) {
      console.log(
        `  ${step.padEnd(26)} ${median(samples).toFixed(2).padStart(8)} s    ${samples.map((x) => x.toFixed(2)).join(" ")}`,
      );
    }
  }
  return over ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(1);
  },
);
