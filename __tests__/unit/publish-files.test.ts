// The local half of `npm run publish`: which files may be published and under which key, their
// Content-Type and Cache-Control, and the checksum S3 will store for them.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseSettings } from "../../src/config/load";
import { EMULATOR_DIFFERENCES } from "../../src/ops/emulator/differences";
import { PART_SIZE, fileChecksum, sameChecksum } from "../../src/ops/publish/checksum";
import { IMMUTABLE, REVALIDATE, headerRules } from "../../src/ops/publish/headers";
import { keyProblem } from "../../src/ops/publish/key-rules";
import { siteFilesWithHeaders } from "../../src/ops/publish/local-objects";
import { CannotRunError } from "../../src/ops/aws-errors";
import { scanSite } from "../../src/ops/publish/site-files";

const defaults = parseSettings({}, "test").publish;
let work: string;
beforeEach(() => (work = mkdtempSync(join(tmpdir(), "publish-files-"))));
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Writes `files` (key → content) under a fresh site folder; returns the folder. */
function site(files: Record<string, string | Buffer>): string {
  const dir = join(work, "site");
  mkdirSync(dir, { recursive: true });
  for (const [key, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, key)), { recursive: true });
    writeFileSync(join(dir, key), body);
  }
  return dir;
}

describe("key rules", () => {
  it.each([
    ["a\u0001b.html", "control character"],
    ["a\\b.html", '"\\"'],
    ["a//b.html", "empty path segment"],
    ["a/./b.html", '"." or ".."'],
    ["a/../b.html", '"." or ".."'],
    ["what?.html", '"?" or "#"'],
    ["c#.html", '"?" or "#"'],
    ["star*.css", "wildcard"],
    ["50%.html", "percent-escape"],
    ["cafe\u0301.html", "NFC"],
    [`${"a".repeat(1030)}.html`, "1024 bytes"],
  ])("refuses %j, saying why (%s)", (key, why) => {
    expect(keyProblem(key)).toContain(why);
  });

  it.each(["index.html", "docs/a b.html", "img/été.png", "a+b.css", ".well-known/security.txt"])("accepts %j", (key) =>
    expect(keyProblem(key)).toBeUndefined(),
  );
});

describe("the folder's files", () => {
  it("lists every file with its relative POSIX key, in order", () => {
    const dir = site({ "index.html": "<p>", "assets/app.js": "1", "docs/x/y.html": "2" });
    expect(scanSite(dir, []).files.map((f) => f.key)).toEqual(["assets/app.js", "docs/x/y.html", "index.html"]);
  });

  it("refuses dotfiles and dot-folders unless a glob allows them", () => {
    const dir = site({ ".env": "SECRET=1", ".git/config": "x", "index.html": "<p>", ".well-known/security.txt": "c" });
    const scan = scanSite(dir, [".well-known/**"]);
    expect(scan.refused.map((r) => r.key)).toEqual([".env", ".git/"]);
    expect(scan.refused[0].reason).toContain("dotfile");
    expect(scan.files.map((f) => f.key)).toEqual([".well-known/security.txt", "index.html"]);
    expect(scanSite(dir, []).refused.map((r) => r.key)).toEqual([".env", ".git/", ".well-known/"]);
  });

  it("never follows a symbolic link out of the folder, and follows one inside it", () => {
    const outside = join(work, "secret.txt");
    writeFileSync(outside, "private");
    const dir = site({ "index.html": "<p>", "real/a.css": "a" });
    symlinkSync(outside, join(dir, "leak.txt"));
    symlinkSync(join(dir, "real"), join(dir, "alias"));
    const scan = scanSite(dir, []);
    expect(scan.refused).toEqual([{ key: "leak.txt", reason: expect.stringContaining("out of the folder") }]);
    expect(scan.files.map((f) => f.key)).toEqual(["alias/a.css", "index.html", "real/a.css"]);
  });

  it("refuses a file whose name S3 or CloudFront would mangle, naming it", () => {
    const dir = site({ "index.html": "<p>", "50%.html": "x" });
    expect(scanSite(dir, []).refused).toEqual([{ key: "50%.html", reason: expect.stringContaining("%") }]);
  });

  it("stops with every refused file named, before anything else runs", () => {
    const dir = site({ ".env": "x", "a*.js": "y", "index.html": "<p>" });
    expect(() => siteFilesWithHeaders(dir, defaults)).toThrow(CannotRunError);
    expect(() => siteFilesWithHeaders(dir, defaults)).toThrow(
      /2 file\(s\).*nothing was written:\n {2}- \.env: .*\n {2}- a\*\.js: /s,
    );
  });

  it("stops on a missing folder and on an empty one, saying what to do", () => {
    expect(() => siteFilesWithHeaders(join(work, "nope"), defaults)).toThrow(/is not a folder: build the site first/);
    mkdirSync(join(work, "empty"));
    expect(() => siteFilesWithHeaders(join(work, "empty"), defaults)).toThrow(/holds no file: build the site first/);
  });

  it("stops on a file of unknown content type, naming it, unless the settings map it", () => {
    const dir = site({ "index.html": "<p>", "site.webmanifest2": "{}" });
    expect(() => siteFilesWithHeaders(dir, defaults)).toThrow(
      /site\.webmanifest2: has an extension the content-type library does not know/,
    );
    const mapped = parseSettings({ publish: { contentTypes: { ".webmanifest2": "application/manifest+json" } } }, "t");
    const files = siteFilesWithHeaders(dir, mapped.publish);
    expect(files.find((f) => f.key === "site.webmanifest2")?.contentType).toBe(
      "application/manifest+json; charset=utf-8",
    );
  });
});

describe("headers", () => {
  const rules = headerRules(defaults);
  const headers = (key: string) => rules.headersFor(key);

  it.each([
    ["index.html", "text/html; charset=utf-8"],
    ["a/app.js", "text/javascript; charset=utf-8"],
    ["s.css", "text/css; charset=utf-8"],
    ["data.json", "application/json; charset=utf-8"],
    ["logo.svg", "image/svg+xml"],
    ["photo.jpg", "image/jpeg"],
    ["font.woff2", "font/woff2"],
  ])("gives %s the Content-Type %s", (key, type) => {
    expect(headers(key)).toMatchObject({ contentType: type });
  });

  it("caches fingerprinted files for a year, immutable, and revalidates everything else", () => {
    expect(headers("assets/app.3f9a1c2b.js")).toMatchObject({ cacheControl: IMMUTABLE, fingerprinted: true });
    expect(headers("assets/main-3F9A1C2B.css")).toMatchObject({ cacheControl: IMMUTABLE, fingerprinted: true });
    expect(headers("assets/app.js")).toMatchObject({ cacheControl: REVALIDATE, fingerprinted: false });
    expect(headers("assets/my-facade.js")).toMatchObject({ fingerprinted: false });
    expect(headers("assets/app.3f9A1c2b.js")).toMatchObject({ fingerprinted: false });
    expect(headers("index.html")).toMatchObject({ cacheControl: REVALIDATE, html: true });
  });

  it("never treats an HTML page as fingerprinted: its URL is the one visitors type", () => {
    expect(headers("page.3f9a1c2b.html")).toMatchObject({ cacheControl: REVALIDATE, fingerprinted: false, html: true });
    expect(rules.isFingerprinted("page.3f9a1c2b.html")).toBe(false);
  });

  it("applies the first matching Cache-Control glob of the settings, and a configured fingerprint pattern", () => {
    const custom = headerRules(
      parseSettings(
        {
          publish: {
            fingerprint: "-[A-Za-z0-9_-]{8}\\.[a-z0-9]+$",
            cacheControl: { "fonts/**": "public, max-age=604800", "**/*.woff2": "no-store" },
          },
        },
        "t",
      ).publish,
    );
    expect(custom.headersFor("fonts/a.woff2")).toMatchObject({ cacheControl: "public, max-age=604800" });
    expect(custom.headersFor("x/b.woff2")).toMatchObject({ cacheControl: "no-store" });
    expect(custom.headersFor("assets/index-BkZ3a9fX.js")).toMatchObject({ cacheControl: IMMUTABLE });
  });

  it("reports a file the library does not know", () => {
    expect(headers("LICENSE")).toEqual({ unknownType: true });
  });
});

describe("checksums", () => {
  const sha = (data: Buffer) => createHash("sha256").update(data).digest();

  it("is the base64 SHA-256 of a file up to the part size", async () => {
    const dir = site({ "a.txt": "hello" });
    expect(await fileChecksum(join(dir, "a.txt"), 5)).toBe(sha(Buffer.from("hello")).toString("base64"));
  });

  it("is the composite checksum S3 stores for a multipart upload above it: digest of part digests, -parts", async () => {
    const body = Buffer.alloc(PART_SIZE * 2 + 1234, 7);
    const dir = site({ "big.bin": body });
    const parts = [body.subarray(0, PART_SIZE), body.subarray(PART_SIZE, 2 * PART_SIZE), body.subarray(2 * PART_SIZE)];
    const expected = `${sha(Buffer.concat(parts.map(sha))).toString("base64")}-3`;
    expect(await fileChecksum(join(dir, "big.bin"), body.length)).toBe(expected);
  });

  it("matches a stored checksum by digest and part count", () => {
    expect(sameChecksum("abc=", "abc=")).toBe(true);
    expect(sameChecksum("abc=", "abd=")).toBe(false);
    expect(sameChecksum("abc=", undefined)).toBe(false);
    expect(sameChecksum("abc=-3", "abc=-3")).toBe(true);
    expect(sameChecksum("abc=-3", "abc=-4")).toBe(false);
    // On AWS a multipart object's checksum always carries its part count: one without is a change.
    expect(sameChecksum("abc=-3", "abc=")).toBe(false);
  });

  it("matches a multipart checksum without its part count only with the emulator's difference passed in", () => {
    const emulator = EMULATOR_DIFFERENCES.filter((d) => d.id === "multipart-checksum-without-part-count");
    expect(emulator).toHaveLength(1);
    expect(sameChecksum("abc=-3", "abc=", emulator)).toBe(true);
    expect(sameChecksum("abc=-3", "abd=", emulator)).toBe(false);
    expect(sameChecksum("abc=-3", "abc=-4", emulator)).toBe(false);
    expect(sameChecksum("abc=", "abc=-3", emulator)).toBe(false);
  });
});
