// What a publish decides before it writes: which files changed (by content and headers, never
// by time), the order of the writes, which paths to invalidate and when they collapse to /*.
import { IMMUTABLE, REVALIDATE } from "../../src/ops/publish/headers";
import { invalidationPaths, urlPath } from "../../src/ops/publish/invalidation";
import { ManifestEntry, knownObjects } from "../../src/ops/publish/manifest";
import { LocalObject, RemoteObject, planPublish } from "../../src/ops/publish/plan";

/** A local file as publish sees it. */
function local(key: string, checksum = `sum-${key}`, extra: Partial<LocalObject> = {}): LocalObject {
  const html = key.endsWith(".html");
  return {
    path: `/site/${key}`,
    key,
    size: 10,
    checksum,
    contentType: html ? "text/html; charset=utf-8" : "text/css; charset=utf-8",
    cacheControl: REVALIDATE,
    fingerprinted: false,
    html,
    ...extra,
  };
}

/** The object publish would have written for `file`. */
function stored(file: LocalObject, extra: Partial<RemoteObject> = {}): RemoteObject {
  return {
    size: file.size,
    checksum: file.checksum,
    contentType: file.contentType,
    cacheControl: file.cacheControl,
    ...extra,
  };
}

describe("change detection", () => {
  const page = local("index.html");
  const style = local("a.css");

  it("uploads nothing when every object has the file's checksum and headers", () => {
    const plan = planPublish(
      [page, style],
      new Map([
        [page.key, stored(page)],
        [style.key, stored(style)],
      ]),
      {
        deleteGone: true,
      },
    );
    expect(plan.assets).toEqual([]);
    expect(plan.html).toEqual([]);
    expect(plan.unchanged.map((f) => f.key)).toEqual(["index.html", "a.css"]);
  });

  it("uploads a file whose content changed at the same size", () => {
    const plan = planPublish([style], new Map([[style.key, stored(style, { checksum: "other" })]]), {
      deleteGone: true,
    });
    expect(plan.assets.map((f) => f.key)).toEqual(["a.css"]);
  });

  it("uploads a file whose object has no stored checksum (written by another tool)", () => {
    const plan = planPublish([style], new Map([[style.key, stored(style, { checksum: undefined })]]), {
      deleteGone: true,
    });
    expect(plan.assets.map((f) => f.key)).toEqual(["a.css"]);
  });

  it("uploads a file whose headers changed in the settings, though its content did not", () => {
    const remote = new Map([[style.key, stored(style, { cacheControl: IMMUTABLE })]]);
    expect(planPublish([style], remote, { deleteGone: true }).assets.map((f) => f.key)).toEqual(["a.css"]);
    const typed = new Map([[style.key, stored(style, { contentType: "text/plain" })]]);
    expect(planPublish([style], typed, { deleteGone: true }).assets.map((f) => f.key)).toEqual(["a.css"]);
  });

  it("puts assets in the first wave and HTML pages in the second, and deletes last", () => {
    const plan = planPublish([page, style, local("docs/b.html"), local("x.js")], new Map([["old.css", { size: 1 }]]), {
      deleteGone: true,
    });
    expect(plan.assets.map((f) => f.key)).toEqual(["a.css", "x.js"]);
    expect(plan.html.map((f) => f.key)).toEqual(["index.html", "docs/b.html"]);
    expect(plan.deletes).toEqual(["old.css"]);
  });

  it("keeps objects whose file is gone when deletes are off, and never deletes reserved prefixes", () => {
    const remote = new Map<string, RemoteObject>([
      ["gone.html", { size: 1 }],
      ["site-storage-verify/probe.txt", { size: 1 }],
    ]);
    const kept = planPublish([page], remote, { deleteGone: false, ignored: ["site-storage-verify/"] });
    expect(kept.deletes).toEqual([]);
    expect(kept.kept).toEqual(["gone.html"]);
    const deleting = planPublish([page], remote, { deleteGone: true, ignored: ["site-storage-verify/"] });
    expect(deleting.deletes).toEqual(["gone.html"]);
  });
});

describe("the manifest", () => {
  const entry: ManifestEntry = { versionId: "v2", size: 10, checksum: "c", contentType: "t", cacheControl: "cc" };

  it("vouches for an object only while its version is the one publish wrote", () => {
    const current = new Map<string, RemoteObject>([
      ["same.css", { size: 10, versionId: "v2" }],
      ["rewritten.css", { size: 10, versionId: "v3" }],
      ["unversioned.css", { size: 10, versionId: "null" }],
      ["resized.css", { size: 11, versionId: "v2" }],
    ]);
    const manifest = new Map(["same.css", "rewritten.css", "unversioned.css", "resized.css"].map((k) => [k, entry]));
    expect([...knownObjects(current, manifest).keys()]).toEqual(["same.css"]);
    expect(knownObjects(current, manifest).get("same.css")).toMatchObject({ checksum: "c", versionId: "v2" });
  });
});

describe("invalidation paths", () => {
  const fingerprinted = (key: string) => /\.[0-9a-f]{8}\./.test(key);

  it("lists changed and deleted files that are not fingerprinted, and / for the root index.html", () => {
    const result = invalidationPaths(
      ["index.html", "docs/index.html", "app.3f9a1c2b.js", "about.html", "gone.css"],
      fingerprinted,
      20,
    );
    expect(result).toEqual({
      paths: ["/", "/about.html", "/docs/index.html", "/gone.css", "/index.html"],
      individual: 5,
      collapsed: false,
    });
  });

  it("invalidates nothing when only fingerprinted files changed", () => {
    expect(invalidationPaths(["a.3f9a1c2b.js", "b.0123abcd.css"], fingerprinted, 20).paths).toEqual([]);
  });

  it("collapses to /* above the threshold, and not at it", () => {
    const keys = Array.from({ length: 5 }, (_, i) => `p${i}.html`);
    expect(invalidationPaths(keys, fingerprinted, 5)).toMatchObject({ collapsed: false, individual: 5 });
    expect(invalidationPaths(keys, fingerprinted, 4)).toEqual({ paths: ["/*"], individual: 5, collapsed: true });
  });

  it("percent-encodes each segment of a path", () => {
    expect(urlPath("docs/a b/été.html")).toBe("/docs/a%20b/%C3%A9t%C3%A9.html");
  });
});
