// `npm run bench [-- --runs N] [-- --local]`: the project's own benchmark. Each figure is the
// median of N fresh runs (default 5), printed beside its budget from the issues; exits
// non-zero when a median is over budget.
//   synth   the command in cdktf.json's `app` (what `cdktf synth` runs): wall time and peak RSS
//   unit    the whole unit suite (`npm run test:unit`), wall time
//   local   with --local: the whole `npm run local` (emulator, deploy, verify, destroy), wall time
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const withLocal = args.includes("--local");

interface Sample { wallSeconds: number; peakRssBytes: number }

/** Runs a shell command once in a fresh process; fails loudly if it fails. */
function measure(command: string, env: Record<string, string> = {}): Sample {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  const rssFile = join(dir, "rss");
  const started = process.hrtime.bigint();
  const result = spawnSync(command, {
    cwd: root, shell: true, stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env, ...env, BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${join(root, "bench", "report-rss.js")}`.trim(),
    },
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`"${command}" failed (exit ${result.status}):\n${result.stderr.toString().slice(-2000)}`);
  }
  let peakRssBytes = NaN;
  try { peakRssBytes = Number(readFileSync(rssFile, "utf8")); } catch { /* not a node process */ }
  rmSync(dir, { recursive: true, force: true });
  return { wallSeconds, peakRssBytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Figure { name: string; value: number; budget: number; unit: string; samples: number[] }
const figures: Figure[] = [];

function bench(name: string, command: string, wallBudget: number, rssBudgetMb?: number, env?: Record<string, string>): void {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(measure(command, env));
    process.stderr.write(`  ${name} run ${i + 1}/${runs}: ${samples[i].wallSeconds.toFixed(2)} s\n`);
  }
  figures.push({ name: `${name} wall`, value: median(samples.map((s) => s.wallSeconds)), budget: wallBudget, unit: "s",
    samples: samples.map((s) => s.wallSeconds) });
  if (rssBudgetMb !== undefined) {
    const mb = samples.map((s) => s.peakRssBytes / 1e6);
    figures.push({ name: `${name} peak RSS`, value: median(mb), budget: rssBudgetMb, unit: "MB", samples: mb });
  }
}

const app = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app as string;
const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
bench("synth (cdktf.json app)", app, 1.0, 200, { CDKTF_OUTDIR: outdir });
rmSync(outdir, { recursive: true, force: true });
bench("unit suite", "npx jest --selectProjects unit --silent", 20);
if (withLocal) bench("npm run local", "npm run --silent local", 150);

console.log(`\nmedians of ${runs} runs on ${cpus().length} cores\n`);
console.log("figure                        median      budget   status   samples");
let over = false;
for (const f of figures) {
  const ok = f.value <= f.budget;
  over ||= !ok;
  console.log(`${f.name.padEnd(28)} ${f.value.toFixed(2).padStart(8)} ${f.unit.padEnd(2)} ${`≤ ${f.budget}`.padStart(8)} ${f.unit.padEnd(2)} ${ok ? "ok  " : "OVER"}   ${f.samples.map((s) => s.toFixed(2)).join(" ")}`);
}
process.exit(over ? 1 : 0);
