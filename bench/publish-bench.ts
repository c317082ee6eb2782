// `npm run bench -- --publish [--runs N]`: `npm run publish` beside `aws s3 sync`, against the
// same emulator, on a generated site of 1,000 files (about 20 MB: HTML pages, fingerprinted JS
// and CSS, images). Medians of N runs (default 3) of:
//   first    an empty bucket, every file uploaded           target: publish ≤ 1.0× sync
//   re-run   every file's modification time touched, nothing else changed
//            target: publish uploads 0 files and takes ≤ 0.2× sync (which uploads all 1,000)
//
// The target is a bucket made as site-storage makes the primary one (its name from the default
// settings, versioning on, SSE-KMS default encryption with a KMS key and the Bucket Key, the
// TLS-only policy), not a whole deployment of the stack: an object PUT meets exactly those, and
// the stack's other resources (replica, logs, replication that moto never runs, lifecycle) would
// add about 90 s of Terraform per bench on two shared cores and nothing to what is measured.
// moto refuses every object call under the TLS-only policy (emulator difference
// bucket-policy-conditions-ignored): publish lifts it itself inside its own time; for the sync
// the bench lifts it outside the timed part, so the sync is never charged for it.
//
// Each tool's pair of runs (first, re-run) starts on an emulator of its own, just started, with
// the bucket just made: moto deep-copies every version of the bucket, content included, for each
// ListObjectVersions page it answers, and its memory grows by about the bucket's size each time
// (37 such requests on this site took moto from 134 MB to 938 MB, and a two-page listing from
// 0.41 s to 0.80 s). Publish lists versions and the sync does not (it lists with ListObjectsV2),
// so on one shared emulator every round would measure publish against a slower moto than the last.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
} from "@aws-sdk/client-s3";
import { bucketNames } from "../src/config/names";
import { tlsOnlyStatements } from "../src/infra/policies/bucket-policy";
import { AwsClients } from "../src/ops/aws-clients";
import { AMBIENT_AWS_VARIABLES, emulatorEnv, startEmulator } from "../src/ops/emulator/emulator";
import { findMotoServer } from "../src/ops/tools";

const root = resolve(__dirname, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 3;
const REGION = "us-east-1";
const ACCOUNT = "123456789012"; // moto's account
const BUCKET = bucketNames("portfolio-site", ACCOUNT).primary;

/** Deterministic bytes: the same site on every machine. */
function bytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash("sha256").update(seed).digest();
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset);
    block = createHash("sha256").update(block).digest();
  }
  return out;
}

/** Text of about `size` bytes. */
function text(seed: string, size: number, line: (i: number) => string): string {
  let out = "";
  for (let i = 0; out.length < size; i++) out += `${line(i)}\n`;
  return `/* ${seed} */\n${out}`;
}

/** 1,000 files, about 20 MB: 150 pages, 250 scripts, 100 stylesheets, 500 images. */
function generateSite(dir: string): { files: string[]; bytes: number } {
  const files: [string, Buffer | string][] = [];
  const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 8);
  for (let i = 0; i < 150; i++) {
    const path = i === 0 ? "index.html" : `docs/section-${i % 10}/page-${i}.html`;
    files.push([path, text(path, 8_000, (n) => `<p>Paragraph ${n} of ${path}.</p>`)]);
  }
  for (let i = 0; i < 250; i++)
    files.push([
      `assets/chunk-${i}.${hash(`js${i}`)}.js`,
      text(`js${i}`, 24_000, (n) => `export const v${n} = ${n * i};`),
    ]);
  for (let i = 0; i < 100; i++)
    files.push([
      `assets/style-${i}-${hash(`css${i}`).toUpperCase()}.css`,
      text(`css${i}`, 10_000, (n) => `.c${n} { margin: ${n}px; }`),
    ]);
  const images = ["png", "jpg", "webp", "svg"];
  for (let i = 0; i < 500; i++) {
    const ext = images[i % images.length];
    const path = `images/${ext}/img-${i}.${ext}`;
    files.push([
      path,
      ext === "svg" ? text(path, 4_000, (n) => `<rect x="${n}" width="1" height="1"/>`) : bytes(path, 26_000),
    ]);
  }
  let total = 0;
  for (const [path, body] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
    total += Buffer.byteLength(body);
  }
  return { files: files.map(([path]) => path), bytes: total };
}

/** The primary bucket as the stack makes it: versioned, SSE-KMS with the Bucket Key, TLS-only. */
async function makeBucket(clients: AwsClients): Promise<string> {
  const key = await clients.kms(REGION).send(new CreateKeyCommand({ Description: "publish bench" }));
  const s3 = clients.s3(REGION);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key.KeyMetadata?.Arn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: tlsOnlyStatements("aws", BUCKET) });
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy }));
  return policy;
}

/** Runs `fn` with the bucket's policy lifted (outside any timed part), then puts it back. */
async function lifted<T>(clients: AwsClients, policy: string, fn: () => Promise<T> | T): Promise<T> {
  await clients.s3(REGION).send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
  try {
    return await fn();
  } finally {
    await clients.s3(REGION).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy }));
  }
}

/** One timed command: wall seconds and its stdout; fails loudly when it fails. */
function timed(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(
      `${command} ${commandArgs.join(" ")} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`,
    );
  return { seconds, stdout: result.stdout };
}

/** Every file's modification time set to now: what a fresh CI checkout does. */
function touchAll(dir: string, files: readonly string[]): void {
  const now = new Date(Date.now() + 2000);
  for (const file of files) utimesSync(join(dir, file), now, now);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Sample {
  publishFirst: number;
  syncFirst: number;
  publishRerun: number;
  syncRerun: number;
  publishRerunUploads: number;
  syncRerunUploads: number;
}

/** The emulator of one tool's pair of runs: just started, with the bucket just made. */
interface Bench {
  readonly env: NodeJS.ProcessEnv;
  readonly clients: AwsClients;
  readonly policy: string;
}

/** Runs `fn` on an emulator of its own (see the header), then stops it. */
async function onFreshEmulator<T>(work: string, fn: (bench: Bench) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ motoServer: findMotoServer(), logFile: join(work, "emulator.log") });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...emulatorEnv(emulator.endpoint, REGION),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    SITE_CONFIG: join(work, "site.config.json"),
  };
  for (const name of AMBIENT_AWS_VARIABLES) delete env[name];
  const clients = new AwsClients(env);
  try {
    return await fn({ env, clients, policy: await makeBucket(clients) });
  } finally {
    clients.destroy();
    await emulator.stop();
  }
}

/** One round: publish first and re-run, then the sync first and re-run, each on its own emulator. */
async function round(work: string, site: string, files: string[]): Promise<Sample> {
  const uploadsOf = (out: string) => Number(/uploaded (\d+) \(/.exec(out)?.[1] ?? NaN);
  const [publishFirst, publishRerun] = await onFreshEmulator(work, async ({ env }) => {
    const publish = () => timed("npm", ["run", "--silent", "publish", "--", site], env);
    const first = publish();
    touchAll(site, files);
    return [first, publish()];
  });
  // The sync as users run it (its default output, one line per file, as publish prints in a log).
  const [syncFirst, syncRerun] = await onFreshEmulator(work, async ({ env, clients, policy }) => {
    const sync = () => timed("aws", ["s3", "sync", site, `s3://${BUCKET}`, "--delete"], env);
    const first = await lifted(clients, policy, sync);
    touchAll(site, files);
    return [first, await lifted(clients, policy, sync)];
  });
  return {
    publishFirst: publishFirst.seconds,
    syncFirst: syncFirst.seconds,
    publishRerun: publishRerun.seconds,
    syncRerun: syncRerun.seconds,
    publishRerunUploads: uploadsOf(publishRerun.stdout),
    // The CLI redraws its progress with carriage returns; each file it sends is one "upload:".
    syncRerunUploads: (syncRerun.stdout.match(/upload: /g) ?? []).length,
  };
}

/** Prints the medians, both ratios and their targets; returns the exit code (1 when a target is missed). */
function report(samples: readonly Sample[], site: { files: string[]; bytes: number }): number {
  const m = (pick: (s: Sample) => number) => median(samples.map(pick));
  const first = m((s) => s.publishFirst) / m((s) => s.syncFirst);
  const rerun = m((s) => s.publishRerun) / m((s) => s.syncRerun);
  const rerunUploads = Math.max(...samples.map((s) => s.publishRerunUploads));
  const rows: [string, number, number, string][] = [
    ["first upload", m((s) => s.publishFirst), m((s) => s.syncFirst), `ratio ${first.toFixed(2)} (target ≤ 1.0)`],
    [
      "re-run, mtimes touched",
      m((s) => s.publishRerun),
      m((s) => s.syncRerun),
      `ratio ${rerun.toFixed(2)} (target ≤ 0.2)`,
    ],
  ];
  console.log(
    `\npublish vs aws s3 sync: ${site.files.length} files, ${(site.bytes / 1e6).toFixed(1)} MB, medians of ${samples.length} runs\n`,
  );
  console.log("case                      publish s    sync s   ratio");
  for (const [name, publish, sync, ratio] of rows)
    console.log(`${name.padEnd(24)} ${publish.toFixed(2).padStart(9)} ${sync.toFixed(2).padStart(9)}   ${ratio}`);
  console.log(
    `re-run uploads: publish ${rerunUploads} (target 0), sync ${m((s) => s.syncRerunUploads)} of ${site.files.length}`,
  );
  for (const [i, s] of samples.entries())
    console.log(
      `  run ${i + 1}: publish ${s.publishFirst.toFixed(2)} / ${s.publishRerun.toFixed(2)} s, sync ${s.syncFirst.toFixed(2)} / ${s.syncRerun.toFixed(2)} s`,
    );
  const ok = first <= 1.0 && rerun <= 0.2 && rerunUploads === 0;
  console.log(ok ? "\nboth ratios within target" : "\nOVER TARGET");
  return ok ? 0 : 1;
}

/** Makes the site, runs the rounds, cleans up. */
async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const work = mkdtempSync(join(tmpdir(), "bench-publish-"));
  writeFileSync(join(work, "site.config.json"), "{}\n");
  try {
    const siteDir = join(work, "site");
    const site = generateSite(siteDir);
    // One untimed pass of each tool first: the first run after a source changed (run-ts.cjs
    // bundles it again) and of the aws CLI is slower for whichever tool comes first.
    await onFreshEmulator(work, async ({ env, clients, policy }) => {
      await lifted(clients, policy, () => timed("aws", ["s3", "sync", siteDir, `s3://${BUCKET}`, "--dryrun"], env));
      timed("npm", ["run", "--silent", "publish", "--", siteDir], env);
    });
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await round(work, siteDir, site.files));
      const s = samples[i];
      process.stderr.write(
        `  run ${i + 1}/${runs}: publish ${s.publishFirst.toFixed(2)} / ${s.publishRerun.toFixed(2)} s, sync ${s.syncFirst.toFixed(2)} / ${s.syncRerun.toFixed(2)} s\n`,
      );
    }
    return report(samples, site);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench --publish: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
