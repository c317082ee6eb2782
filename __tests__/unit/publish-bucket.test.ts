// A publish against a mocked S3 and CloudFront: the order of the writes, what each request
// carries (checksum, headers, never an encryption header), change detection on a re-run, the
// failures named, the dry run that writes nothing, and the invalidation.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CloudFrontClient, CreateInvalidationCommand, GetInvalidationCommand } from "@aws-sdk/client-cloudfront";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { parseSettings } from "../../src/config/load";
import { headerRules } from "../../src/ops/publish/headers";
import { PART_SIZE } from "../../src/ops/publish/checksum";
import { siteFilesWithHeaders, withChecksums } from "../../src/ops/publish/local-objects";
import { CannotRunError } from "../../src/ops/aws-errors";
import { currentVersions } from "../../src/ops/publish/bucket-listing";
import { MANIFEST_KEY } from "../../src/ops/publish/manifest";
import { BucketRef } from "../../src/ops/emulator/object-writes";
import { LocalObject } from "../../src/ops/publish/plan";
import { PublishInput, publishFiles } from "../../src/ops/publish/publish";
import { dryRunText, exitCodeOf, summaryText } from "../../src/ops/publish/report";

const s3 = mockClient(S3Client);
const cloudfront = mockClient(CloudFrontClient);
const settings = parseSettings({}, "test").publish;
const TARGET = { bucket: "site-primary-123456789012", region: "us-east-1", account: "123456789012" };
let work: string;

beforeEach(() => {
  s3.reset();
  cloudfront.reset();
  work = mkdtempSync(join(tmpdir(), "publish-bucket-"));
  s3.on(ListObjectVersionsCommand).resolves({ Versions: [] });
  s3.on(GetObjectCommand).rejects(Object.assign(new Error("no manifest"), { name: "NoSuchKey" }));
  s3.on(PutObjectCommand).callsFake((input: { Key: string }) => ({ VersionId: `v-${input.Key}` }));
  s3.on(DeleteObjectCommand).resolves({});
  cloudfront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: "I1", Status: "InProgress" } as never });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The site's files, hashed and typed as publish prepares them. */
async function siteOf(files: Record<string, string>): Promise<LocalObject[]> {
  const dir = join(work, "site");
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), body);
  }
  return withChecksums(siteFilesWithHeaders(dir, settings));
}

const SITE = {
  "index.html": "<link href=assets/main-3F9A1C2B.css>",
  "about.html": "<p>about</p>",
  "assets/main-3F9A1C2B.css": "body{}",
  "assets/app.js": "run()",
};

/** A publish input; `wrapped` records the object calls made inside withObjectWrites. */
function inputFor(files: readonly LocalObject[], overrides: Partial<PublishInput> = {}) {
  const lifted: BucketRef[] = [];
  const client = new S3Client({ region: "us-east-1" });
  const input: PublishInput = {
    files,
    listing: () => currentVersions(client, TARGET.bucket),
    target: TARGET,
    distribution: async () => "E123",
    s3: client,
    cloudfront: () => new CloudFrontClient({ region: "us-east-1" }),
    withObjectWrites: async (bucket, body) => {
      lifted.push(bucket);
      return body();
    },
    differences: [],
    dryRun: false,
    deleteGone: true,
    wait: false,
    isFingerprinted: headerRules(settings).isFingerprinted,
    collapseAt: 20,
    out: { isTTY: false, write: () => true },
    ...overrides,
  };
  return { input, lifted };
}

/** Each S3 write in the order it was sent: `put <key>` or `delete <key>`. */
function writes(): string[] {
  return s3.calls().flatMap((call) => {
    const command = call.args[0];
    if (command instanceof PutObjectCommand) return [`put ${command.input.Key}`];
    if (command instanceof DeleteObjectCommand) return [`delete ${command.input.Key}`];
    return [];
  });
}

/** The bucket holds `files` as publish wrote them, under version `v1`, with an old page besides. */
function bucketHolds(files: readonly LocalObject[], extra: string[] = []) {
  s3.on(ListObjectVersionsCommand).resolves({
    Versions: [
      ...files.map((f) => ({ Key: f.key, Size: f.size, VersionId: "v1", IsLatest: true })),
      ...extra.map((key) => ({ Key: key, Size: 3, VersionId: "v1", IsLatest: true })),
    ],
  });
  for (const file of files)
    s3.on(HeadObjectCommand, { Key: file.key }).resolves({
      ContentLength: file.size,
      VersionId: "v1",
      ChecksumSHA256: file.checksum,
      ContentType: file.contentType,
      CacheControl: file.cacheControl,
    });
}

describe("publishing", () => {
  it("uploads every asset, then every HTML page, then deletes, then writes the manifest", async () => {
    const files = await siteOf(SITE);
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: "old.html", Size: 3, VersionId: "v0", IsLatest: true }],
    });
    const report = await publishFiles(inputFor(files).input);
    const order = writes();
    expect(order.slice(0, 2).sort()).toEqual(["put assets/app.js", "put assets/main-3F9A1C2B.css"]);
    expect(order.slice(2, 4).sort()).toEqual(["put about.html", "put index.html"]);
    expect(order.slice(4)).toEqual(["delete old.html", `put ${MANIFEST_KEY}`]);
    expect(report.deleted).toEqual(["old.html"]);
    expect(exitCodeOf(report)).toBe(0);
  });

  it("lists the bucket while the files are still being hashed, and plans once both are known", async () => {
    const files = await siteOf(SITE);
    let hashed: (value: readonly LocalObject[]) => void = () => undefined;
    const hashing = new Promise<readonly LocalObject[]>((resolve) => (hashed = resolve));
    const publishing = publishFiles(inputFor(files, { files: hashing }).input);
    await new Promise((resolve) => setImmediate(resolve));
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
    expect(writes()).toEqual([]);
    hashed(files);
    const report = await publishing;
    expect(report.uploaded.map((f) => f.key).sort()).toEqual(Object.keys(SITE).sort());
  });

  it("looks up the distribution while the bucket is read, and writes nothing until it is found", async () => {
    const files = await siteOf(SITE);
    let found: (id: string | undefined) => void = () => undefined;
    const lookup = new Promise<string | undefined>((resolve) => (found = resolve));
    let lookedUp = 0;
    const publishing = publishFiles(inputFor(files, { distribution: () => (lookedUp++, lookup) }).input);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
    expect(lookedUp).toBe(1);
    expect(writes()).toEqual([]);
    found("E123");
    const report = await publishing;
    expect(report.uploaded).toHaveLength(4);
    expect(report.invalidation).toMatchObject({ sent: true, id: "I1" });
  });

  it("writes nothing when the distribution cannot be looked up", async () => {
    const files = await siteOf(SITE);
    const refused = new CannotRunError("access", "the credentials need cloudfront:ListDistributions");
    const { input } = inputFor(files, { distribution: () => Promise.reject(refused) });
    await expect(publishFiles(input)).rejects.toThrow("the credentials need cloudfront:ListDistributions");
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
    expect(writes()).toEqual([]);
  });

  it("fails when the bucket cannot be read only once the distribution lookup has settled", async () => {
    const files = await siteOf(SITE);
    s3.on(ListObjectVersionsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    let settled = false;
    const slowLookup = () =>
      new Promise<string | undefined>((resolve) =>
        setTimeout(() => {
          settled = true;
          resolve("E123");
        }, 20),
      );
    const { input } = inputFor(files, { distribution: slowLookup });
    await expect(publishFiles(input)).rejects.toThrow(`cannot list the objects of ${TARGET.bucket}: AccessDenied`);
    expect(settled).toBe(true);
    expect(writes()).toEqual([]);
  });

  it("sends each file's SHA-256 checksum and headers, and no encryption header", async () => {
    const files = await siteOf(SITE);
    await publishFiles(inputFor(files).input);
    for (const file of files) {
      const [call] = s3.commandCalls(PutObjectCommand, { Key: file.key });
      const sent = call.args[0].input;
      expect(sent).toMatchObject({
        Bucket: TARGET.bucket,
        ChecksumAlgorithm: "SHA256",
        ChecksumSHA256: file.checksum,
        ContentType: file.contentType,
        CacheControl: file.cacheControl,
      });
      expect(sent).not.toHaveProperty("ServerSideEncryption");
      expect(sent).not.toHaveProperty("SSEKMSKeyId");
      expect(sent).not.toHaveProperty("BucketKeyEnabled");
    }
  });

  it("sends a file above the part size as a multipart upload with SHA-256 per part, and no encryption header", async () => {
    const [big] = await siteOf({ "video.mp4": "x".repeat(PART_SIZE + 10) });
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "U1" });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"', ChecksumSHA256: "cGFydA==" });
    s3.on(CompleteMultipartUploadCommand).resolves({ VersionId: "v9" });
    const report = await publishFiles(inputFor([big]).input);
    const [create] = s3.commandCalls(CreateMultipartUploadCommand);
    expect(create.args[0].input).toMatchObject({
      Key: "video.mp4",
      ChecksumAlgorithm: "SHA256",
      ContentType: "video/mp4",
    });
    expect(create.args[0].input).not.toHaveProperty("ServerSideEncryption");
    expect(s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input.PartNumber)).toEqual([1, 2]);
    expect(big.checksum).toMatch(/-2$/);
    expect(report.uploaded.map((f) => f.key)).toEqual(["video.mp4"]);
  });

  it("deletes the current version only, so the versioned bucket keeps the history", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files, ["gone.css"]);
    await publishFiles(inputFor(files).input);
    const [call] = s3.commandCalls(DeleteObjectCommand);
    expect(call.args[0].input).toEqual({ Bucket: TARGET.bucket, Key: "gone.css" });
  });

  it("keeps objects whose file is gone with deletes off", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files, ["gone.css"]);
    const report = await publishFiles(inputFor(files, { deleteGone: false }).input);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(report.plan.kept).toEqual(["gone.css"]);
  });

  it("makes every object call inside withObjectWrites, for the target bucket; the listing may start before", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files.slice(0, 1), ["gone.html"]);
    const { input, lifted } = inputFor(files);
    let inside = false;
    const outside: string[] = [];
    const listed = currentVersions(input.s3, TARGET.bucket); // as npm run publish starts it, before any lift
    s3.on(HeadObjectCommand).callsFake(() => {
      if (!inside) outside.push("HeadObject");
      return {};
    });
    // The manifest read answers nothing usable, so the HEAD is sent; the rest is written.
    for (const command of [GetObjectCommand, PutObjectCommand, DeleteObjectCommand])
      s3.on(command).callsFake(() => {
        if (!inside) outside.push(command.name);
        return {};
      });
    await publishFiles({
      ...input,
      listing: () => listed,
      withObjectWrites: async (bucket, body) => {
        inside = true;
        try {
          return await input.withObjectWrites(bucket, body);
        } finally {
          inside = false;
        }
      },
    });
    const sent = s3.calls().map((call) => call.args[0].constructor.name);
    expect(sent).toEqual(
      expect.arrayContaining(["GetObjectCommand", "HeadObjectCommand", "PutObjectCommand", "DeleteObjectCommand"]),
    );
    expect(outside).toEqual([]);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
    expect(lifted).toEqual([{ name: TARGET.bucket, region: TARGET.region }]);
  });
});

describe("change detection on a re-run", () => {
  it("uploads nothing when every stored checksum matches, and reads each with HeadObject ChecksumMode ENABLED", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files);
    const report = await publishFiles(inputFor(files).input);
    expect(writes().filter((w) => !w.endsWith(MANIFEST_KEY))).toEqual([]);
    expect(report.plan.unchanged).toHaveLength(4);
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input.ChecksumMode)).toEqual(
      Array(4).fill("ENABLED"),
    );
    expect(report.invalidation).toMatchObject({ sent: false, why: "no path to invalidate" });
  });

  it("trusts the manifest for objects still at the version it recorded, with no HEAD and no write", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files);
    const manifest = Object.fromEntries(
      files.map((f) => [
        f.key,
        {
          versionId: "v1",
          size: f.size,
          checksum: f.checksum,
          contentType: f.contentType,
          cacheControl: f.cacheControl,
        },
      ]),
    );
    s3.on(GetObjectCommand, { Key: MANIFEST_KEY }).resolves({
      Body: { transformToString: async () => JSON.stringify({ version: 1, objects: manifest }) } as never,
    });
    const report = await publishFiles(inputFor(files).input);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(writes()).toEqual([]);
    expect(report.plan.unchanged).toHaveLength(4);
  });

  it("uploads the one file whose content changed, and invalidates only its path", async () => {
    const files = await siteOf(SITE);
    bucketHolds(files);
    s3.on(HeadObjectCommand, { Key: "about.html" }).resolves({
      ContentLength: files[0].size,
      ChecksumSHA256: "c3RhbGU=",
      ContentType: "text/html; charset=utf-8",
      CacheControl: "public, max-age=0, must-revalidate",
    });
    const report = await publishFiles(inputFor(files).input);
    expect(writes()).toEqual(["put about.html", `put ${MANIFEST_KEY}`]);
    expect(report.invalidation).toMatchObject({ sent: true, id: "I1", paths: { paths: ["/about.html"] } });
  });
});

describe("failures", () => {
  it("names the file that failed, holds the HTML back, deletes nothing, and exits 1", async () => {
    const files = await siteOf(SITE);
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: "old.html", Size: 3, VersionId: "v0", IsLatest: true }],
    });
    s3.on(PutObjectCommand, { Key: "assets/app.js" }).rejects(
      Object.assign(new Error("slow down"), { name: "SlowDown", $metadata: { httpStatusCode: 503 } }),
    );
    const report = await publishFiles(inputFor(files).input);
    expect(s3.commandCalls(PutObjectCommand, { Key: "assets/main-3F9A1C2B.css" })).toHaveLength(1);
    expect(s3.commandCalls(PutObjectCommand, { Key: "index.html" })).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(report.failed).toEqual([
      { key: "assets/app.js", reason: "SlowDown (HTTP 503): slow down" },
      { key: "about.html", reason: "not uploaded: an asset failed, and this page may link to it" },
      { key: "index.html", reason: "not uploaded: an asset failed, and this page may link to it" },
    ]);
    expect(report.deletesSkipped).toBe("not every upload succeeded");
    expect(exitCodeOf(report)).toBe(1);
    const summary = summaryText(report, TARGET, 1.5);
    expect(summary).toContain(
      "FAILED: 3 item(s); the rest is published, and running the command again finishes the job",
    );
    expect(summary).toContain("  - assets/app.js: SlowDown (HTTP 503): slow down");
    expect(summary).toContain("1 delete(s) not done: not every upload succeeded");
  });

  it("reports a failed invalidation as a failure after publishing the files", async () => {
    const files = await siteOf(SITE);
    cloudfront
      .on(CreateInvalidationCommand)
      .rejects(Object.assign(new Error("too many"), { name: "TooManyInvalidationsInProgress" }));
    const report = await publishFiles(inputFor(files).input);
    expect(report.uploaded).toHaveLength(4);
    expect(report.failed).toEqual([{ key: "(invalidation)", reason: "TooManyInvalidationsInProgress: too many" }]);
    expect(exitCodeOf(report)).toBe(1);
  });
});

describe("the dry run", () => {
  it("prints every action in order and makes no write, lifts nothing and invalidates nothing", async () => {
    const files = await siteOf(SITE);
    bucketHolds(
      files.filter((f) => f.key !== "about.html"),
      ["old.css"],
    );
    const { input, lifted } = inputFor(files, { dryRun: true });
    const report = await publishFiles(input);
    expect(writes()).toEqual([]);
    expect(lifted).toEqual([]);
    expect(cloudfront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
    const text = dryRunText(report, TARGET);
    expect(text).toContain(
      "would upload about.html  12 B  text/html; charset=utf-8  public, max-age=0, must-revalidate  (html, after the assets)",
    );
    expect(text).toContain("would delete old.css (current version; history kept)");
    expect(text).toContain("unchanged: 3 file(s)");
    expect(text).toContain("would invalidate 2 path(s): /about.html /old.css");
  });

  it("says so when the bucket refuses reads, showing every file as an upload", async () => {
    const files = await siteOf(SITE);
    s3.on(ListObjectVersionsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    const report = await publishFiles(inputFor(files, { dryRun: true }).input);
    expect(report.plan.assets.length + report.plan.html.length).toBe(4);
    expect(dryRunText(report, TARGET)).toContain(
      `note: cannot list the objects of ${TARGET.bucket}: AccessDenied: denied; a dry run lifts nothing`,
    );
  });
});

describe("invalidation", () => {
  it("sends the changed paths that are not fingerprinted, with / for index.html", async () => {
    const files = await siteOf(SITE);
    await publishFiles(inputFor(files).input);
    const [call] = cloudfront.commandCalls(CreateInvalidationCommand);
    expect(call.args[0].input.DistributionId).toBe("E123");
    expect(call.args[0].input.InvalidationBatch?.Paths).toEqual({
      Quantity: 4,
      Items: ["/", "/about.html", "/assets/app.js", "/index.html"],
    });
  });

  it("collapses to /* above the threshold", async () => {
    const files = await siteOf(SITE);
    await publishFiles(inputFor(files, { collapseAt: 3 }).input);
    expect(cloudfront.commandCalls(CreateInvalidationCommand)[0].args[0].input.InvalidationBatch?.Paths).toEqual({
      Quantity: 1,
      Items: ["/*"],
    });
  });

  it("skips the invalidation, and says so, when there is no distribution", async () => {
    const files = await siteOf(SITE);
    const { input } = inputFor(files);
    const report = await publishFiles({ ...input, distribution: async () => undefined });
    expect(cloudfront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
    expect(summaryText(report, TARGET, 1)).toContain(
      "no invalidation: the stack has no CloudFront distribution deployed: nothing to invalidate",
    );
  });

  it("waits for completion when asked, showing its progress", async () => {
    const files = await siteOf(SITE);
    cloudfront.on(GetInvalidationCommand).resolves({ Invalidation: { Id: "I1", Status: "Completed" } as never });
    const report = await publishFiles(inputFor(files, { wait: true }).input);
    expect(cloudfront.commandCalls(GetInvalidationCommand)[0].args[0].input).toEqual({
      DistributionId: "E123",
      Id: "I1",
    });
    expect(report.invalidation).toMatchObject({ sent: true, completed: true });
  });
});
