// `npm run publish` against a real deployment of site-storage on the emulator, with its CDN
// stage (the default): publish a generated site, re-publish it unchanged after touching every
// file (0 uploads), change one page and one asset and delete one file, and check the objects,
// their headers and checksums, their encryption (aws:kms with the primary key and the Bucket
// Key), that the deleted file's history is kept, that a dry run writes nothing, that the bucket
// policy the publish lifts on the emulator is back every time, and the paths each invalidation
// of the deployed distribution carried (none for a run that changed nothing); then, with more
// than a page of objects, that the listing's pages asked for side by side find every object.
import { spawn } from "node:child_process";
import { GetInvalidationCommand, ListInvalidationsCommand } from "@aws-sdk/client-cloudfront";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { samePolicy } from "../../src/common/policy";
import { AwsClients } from "../../src/ops/aws-clients";
import { withRunOverrides } from "../../src/ops/local-run/run-config";
import { LocalSession } from "../../src/ops/local-run/session";
import { PROJECT_DIR, writeConfigFile } from "../../src/ops/terraform/synth";
import { discoverTools } from "../../src/ops/tools";
import { describeE2e } from "./support";

const work = mkdtempSync(join(tmpdir(), "publish-e2e-"));
const siteDir = join(work, "site");

const SITE: Record<string, string> = {
  "index.html": '<link rel="stylesheet" href="assets/style.css"><script src="assets/app.3f9a1c2b.js"></script>',
  "about.html": "<h1>About</h1>",
  "docs/page.html": "<h1>Docs</h1>",
  "assets/app.3f9a1c2b.js": "console.log('app');",
  "assets/style.css": "body { color: black; }",
  "images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
};

function writeSite(files: Record<string, string>): void {
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(dirname(join(siteDir, key)), { recursive: true });
    writeFileSync(join(siteDir, key), body);
  }
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

describeE2e("npm run publish on the emulator", () => {
  jest.setTimeout(600_000);
  let session: LocalSession;
  let clients: AwsClients;
  let env: NodeJS.ProcessEnv;
  let bucket: string;
  let region: string;
  let keyArn: string;
  let policy: string;
  let distributionId: string;

  /** `npm run publish -- <site> ...args` against the deployment. */
  function publish(...args: string[]): Promise<Finished> {
    const child = spawn("npm", ["run", "--silent", "publish", "--", siteDir, ...args], {
      cwd: PROJECT_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
  }

  /** Reads objects with the policy lifted (the emulator refuses every object call under it), then puts it back. */
  async function read<T>(fn: () => Promise<T>): Promise<T> {
    const s3 = clients.s3(region);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    try {
      return await fn();
    } finally {
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    }
  }

  const head = (key: string): Promise<HeadObjectCommandOutput> =>
    clients.s3(region).send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));

  /** The paths of every invalidation of the distribution, oldest first. */
  async function invalidations(): Promise<string[][]> {
    const cloudfront = clients.cloudfront();
    const listed = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
    const ids = [...(listed.InvalidationList?.Items ?? [])]
      .sort((x, y) => (x.CreateTime?.getTime() ?? 0) - (y.CreateTime?.getTime() ?? 0))
      .map((i) => i.Id as string);
    const paths = await Promise.all(
      ids.map(async (id) => {
        const got = await cloudfront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
        return [...(got.Invalidation?.InvalidationBatch?.Paths?.Items ?? [])].sort();
      }),
    );
    return paths;
  }

  /**
   * How many ListObjectVersions pages of the bucket moto's request log shows asked for from a
   * predicted key: a key marker without a version-id marker (S3's own markers carry both).
   */
  function predictedPages(): number {
    return readFileSync(session.emulator.logFile, "utf8")
      .split("\n")
      .filter((line) => line.includes(`/${bucket}/?`) && /[?&]versions=/.test(line) && line.includes("key-marker="))
      .filter((line) => !line.includes("version-id-marker=")).length;
  }

  async function expectPolicyIntact(): Promise<void> {
    const now = await clients.s3(region).send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(samePolicy(now.Policy, policy)).toBe(true);
  }

  beforeAll(async () => {
    const config = withRunOverrides({}, "e2e");
    session = await LocalSession.open({ region: config.settings.primaryRegion, tools: discoverTools(process.env) });
    await session.synth(config.raw);
    await session.init();
    await session.apply(await session.plan("deploy"));
    const outputs = await session.terraform.outputs();
    // The CDN stage is on by default: the deployment has the distribution publish invalidates.
    expect(config.settings.cdn.enabled).toBe(true);
    distributionId = outputs.cdn_distribution_id;
    bucket = outputs.primary_bucket_name;
    region = outputs.primary_region;
    keyArn = outputs.primary_key_arn;
    env = { ...session.env, SITE_CONFIG: writeConfigFile(work, config.raw, "publish.config.json") };
    clients = new AwsClients(env);
    policy = (await clients.s3(region).send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy as string;
    writeSite(SITE);
  });

  afterAll(async () => {
    clients?.destroy();
    try {
      if (session) await session.destroy();
    } finally {
      await session?.close({ removeWorkDir: true });
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("publishes every file with its type, cache policy and checksum, encrypted with the primary key", async () => {
    const result = await publish();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("uploaded 6 (");
    await expectPolicyIntact();
    const objects = await read(() => Promise.all(Object.keys(SITE).map(head)));
    const byKey = Object.fromEntries(Object.keys(SITE).map((key, i) => [key, objects[i]]));
    expect(byKey["index.html"]).toMatchObject({
      ContentType: "text/html; charset=utf-8",
      CacheControl: "public, max-age=0, must-revalidate",
      ChecksumSHA256: createHash("sha256").update(SITE["index.html"]).digest("base64"),
    });
    expect(byKey["assets/app.3f9a1c2b.js"]).toMatchObject({
      ContentType: "text/javascript; charset=utf-8",
      CacheControl: "public, max-age=31536000, immutable",
    });
    expect(byKey["images/logo.svg"]).toMatchObject({ ContentType: "image/svg+xml" });
    for (const object of objects)
      expect(object).toMatchObject({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
    // Every page and unfingerprinted asset, and "/" for index.html; not the fingerprinted script.
    expect(await invalidations()).toEqual([
      ["/", "/about.html", "/assets/style.css", "/docs/page.html", "/images/logo.svg", "/index.html"],
    ]);
  });

  it("uploads nothing on a re-run after every file's modification time changed", async () => {
    const later = new Date(Date.now() + 60_000);
    for (const key of Object.keys(SITE)) utimesSync(join(siteDir, key), later, later);
    const result = await publish();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("uploaded 0 (0 B), unchanged 6, deleted 0");
    await expectPolicyIntact();
    expect(await invalidations()).toHaveLength(1);
  });

  it("shows a change in a dry run and writes nothing", async () => {
    writeSite({ "about.html": "<h1>About us</h1>" });
    const before = await read(() => head("about.html"));
    const result = await publish("--dry-run");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("would upload about.html");
    const after = await read(() => head("about.html"));
    expect(after.VersionId).toBe(before.VersionId);
    expect(await invalidations()).toHaveLength(1);
    writeSite({ "about.html": SITE["about.html"] });
  });

  it("uploads the changed page and asset, deletes the removed file and keeps its history", async () => {
    writeSite({ "index.html": `${SITE["index.html"]}<!-- v2 -->`, "assets/style.css": "body { color: navy;  }" });
    unlinkSync(join(siteDir, "docs/page.html"));
    const result = await publish();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("uploaded 2 (");
    expect(result.stdout).toContain("unchanged 3, deleted 1");
    expect(result.stdout).toContain("  deleted docs/page.html (its earlier versions are kept)");
    await expectPolicyIntact();
    const [style, versions] = await read(() =>
      Promise.all([
        head("assets/style.css"),
        clients.s3(region).send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "docs/page.html" })),
      ]),
    );
    expect(style.ChecksumSHA256).toBe(createHash("sha256").update("body { color: navy;  }").digest("base64"));
    expect(versions.DeleteMarkers?.map((m) => m.IsLatest)).toEqual([true]);
    expect(versions.Versions).toHaveLength(1);
    const [, changed] = await invalidations();
    expect(changed).toEqual(["/", "/assets/style.css", "/docs/page.html", "/index.html"]);
  });

  it("finds every object of a bucket of more than one page, whose pages it asks for side by side", async () => {
    // 1,100 files more: with the site's and the manifest, 1,106 keys, two pages of ListObjectVersions.
    const bulk = Object.fromEntries(
      Array.from({ length: 1_100 }, (_, i) => [`bulk/part-${String(i).padStart(4, "0")}.js`, `export const n = ${i};`]),
    );
    writeSite(bulk);
    const first = await publish();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("uploaded 1100 (");
    const later = new Date(Date.now() + 120_000);
    for (const key of Object.keys(bulk)) utimesSync(join(siteDir, key), later, later);
    const predictedBefore = predictedPages();
    const rerun = await publish();
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain("uploaded 0 (0 B), unchanged 1105, deleted 0");
    // The re-run asked for its second page at once, from a predicted key, not from S3's markers.
    expect(predictedPages()).toBeGreaterThan(predictedBefore);
    // Files gone on both sides of where the second page starts: each object is found and deleted.
    const gone = ["bulk/part-0000.js", "bulk/part-0940.js", "bulk/part-0946.js", "bulk/part-1099.js"];
    for (const key of gone) unlinkSync(join(siteDir, key));
    const third = await publish();
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("uploaded 0 (0 B), unchanged 1101, deleted 4");
    for (const key of gone) expect(third.stdout).toContain(`  deleted ${key} (its earlier versions are kept)`);
    await expectPolicyIntact();
  });
});
