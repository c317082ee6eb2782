// The bucket's listing for a publish: the pages the files predict are asked for side by side,
// and the answer is the bucket's current versions whatever it holds: keys the files did not
// predict, older versions that shift where pages end, delete markers, a start key that S3 lists
// again or not.
import { ListObjectVersionsCommand, ListObjectVersionsCommandInput, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import {
  MAX_PAGES_AHEAD,
  PAGE_OVERLAP,
  PAGE_SIZE,
  currentVersions,
  predictedStarts,
  s3KeyOrder,
} from "../../src/ops/publish/bucket-listing";

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

/** One version in a bucket, listed newest first within its key. */
interface Version {
  readonly key: string;
  readonly id: string;
  readonly latest: boolean;
  readonly deleteMarker?: boolean;
}

/** `count` keys `<prefix>00000`…, one current version each. */
const keysOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);
const current = (keys: readonly string[]): Version[] => keys.map((key) => ({ key, id: `v-${key}`, latest: true }));

/**
 * ListObjectVersions over `versions` as S3 pages it: keys in S3's order, each key's versions
 * newest first, at most MaxKeys per page, resuming after KeyMarker + VersionIdMarker, or, with
 * KeyMarker alone, after that key (`startKeyListedAgain`: at that key). Records each request
 * when sent and answers on a later turn, so requests sent together are in flight together.
 */
function serve(versions: readonly Version[], options: { startKeyListedAgain?: boolean } = {}) {
  const sorted = [...versions].sort((a, b) => s3KeyOrder(a.key, b.key));
  const log: string[] = [];
  s3.on(ListObjectVersionsCommand).callsFake(async (input: ListObjectVersionsCommandInput) => {
    log.push(`sent ${input.KeyMarker ?? "(start)"}`);
    let from = 0;
    if (input.KeyMarker !== undefined && input.VersionIdMarker !== undefined)
      from = sorted.findIndex((v) => v.key === input.KeyMarker && v.id === input.VersionIdMarker) + 1;
    else if (input.KeyMarker !== undefined) {
      const marker = input.KeyMarker;
      const after = (v: Version) => s3KeyOrder(v.key, marker) > (options.startKeyListedAgain ? -1 : 0);
      from = sorted.findIndex(after);
      if (from < 0) from = sorted.length;
    }
    const page = sorted.slice(from, from + (input.MaxKeys ?? PAGE_SIZE));
    const truncated = from + page.length < sorted.length;
    await new Promise((resolve) => setImmediate(resolve));
    log.push(`answered ${input.KeyMarker ?? "(start)"}`);
    const entry = (v: Version) => ({ Key: v.key, VersionId: v.id, IsLatest: v.latest, Size: 7 });
    return {
      Versions: page.filter((v) => !v.deleteMarker).map(entry),
      DeleteMarkers: page
        .filter((v) => v.deleteMarker)
        .map(({ key, id, latest }) => ({
          Key: key,
          VersionId: id,
          IsLatest: latest,
        })),
      IsTruncated: truncated,
      NextKeyMarker: truncated ? page.at(-1)?.key : undefined,
      NextVersionIdMarker: truncated ? page.at(-1)?.id : undefined,
    };
  });
  return log;
}

/** What the listing must answer: each key's current version, unless that is a delete marker. */
function truth(versions: readonly Version[]): Map<string, { size: number; versionId: string }> {
  return new Map(
    versions.filter((v) => v.latest && !v.deleteMarker).map((v) => [v.key, { size: 7, versionId: v.id }] as const),
  );
}

const client = () => new S3Client({ region: "us-east-1" });

describe("the bucket's listing", () => {
  it("asks for every page the files predict at once when the bucket holds what they predict", async () => {
    const keys = keysOf("k", 2_500);
    const log = serve(current(keys));
    const found = await currentVersions(client(), "b", keys);
    expect(found).toEqual(truth(current(keys)));
    const sent = log.filter((l) => l.startsWith("sent"));
    expect(sent).toHaveLength(3);
    expect(log.slice(0, 3)).toEqual(sent); // all three in flight before the first answer
    expect(sent).toEqual(["sent (start)", "sent k00949", "sent k01949"]);
  });

  it(`still asks for them at once when up to ${PAGE_OVERLAP - 1} keys the files did not predict come before each page end`, async () => {
    const expected = keysOf("m", 2_500);
    const held = [...current(keysOf("a", PAGE_OVERLAP - 1)), ...current(expected)];
    const log = serve(held);
    expect(await currentVersions(client(), "b", expected)).toEqual(truth(held));
    expect(log.filter((l) => l.startsWith("sent"))).toHaveLength(3);
    expect(log.slice(0, 3).every((l) => l.startsWith("sent"))).toBe(true);
  });

  it("lists every key when keys the files did not predict shift the pages", async () => {
    const expected = keysOf("m", 2_500);
    const held = [...current(keysOf("a", 1_300)), ...current(expected)];
    serve(held);
    expect(await currentVersions(client(), "b", expected)).toEqual(truth(held));
  });

  it("keeps only each key's current version when older versions shift the pages", async () => {
    const keys = keysOf("k", 2_200);
    const held = keys.flatMap((key, i): Version[] =>
      i % 3 === 0
        ? [
            { key, id: `v3-${key}`, latest: true },
            { key, id: `v2-${key}`, latest: false },
            { key, id: `v1-${key}`, latest: false },
          ]
        : [{ key, id: `v1-${key}`, latest: true }],
    );
    serve(held);
    const found = await currentVersions(client(), "b", keys);
    expect(found).toEqual(truth(held));
    expect(found.get("k00000")?.versionId).toBe("v3-k00000");
  });

  it("leaves out a key whose current version is a delete marker", async () => {
    const keys = keysOf("k", 1_500);
    const held = [
      ...current(keys.filter((k) => k !== "k00999")),
      { key: "k00999", id: "dm", latest: true, deleteMarker: true },
      { key: "k00999", id: "v1", latest: false },
    ];
    serve(held);
    const found = await currentVersions(client(), "b", keys);
    expect(found.has("k00999")).toBe(false);
    expect(found).toEqual(truth(held));
  });

  it("joins a page up by its last key when that key is a delete marker, after the last version", async () => {
    const keys = keysOf("k", 2_000);
    // The first page: 949 current versions, then 51 keys whose only entry is a delete marker,
    // so its versions end before the second page's start (k00949) and its delete markers after.
    const held = [
      ...current(keys.slice(0, 949)),
      ...keys.slice(949, 1_000).map((key): Version => ({ key, id: `dm-${key}`, latest: true, deleteMarker: true })),
      ...current(keys.slice(1_000)),
    ];
    const log = serve(held);
    expect(await currentVersions(client(), "b", keys)).toEqual(truth(held));
    // The predicted page is used, and the listing goes on from its end, not from the first page's.
    expect(log.filter((l) => l.startsWith("sent"))).toEqual(["sent (start)", "sent k00949", "sent k01949"]);
  });

  it("gives the same answer whether S3 lists a start key again or not", async () => {
    const keys = keysOf("k", 3_100);
    serve(current(keys), { startKeyListedAgain: true });
    expect(await currentVersions(client(), "b", keys)).toEqual(truth(current(keys)));
  });

  it("lists page after page when the files predict nothing, and answers an empty bucket with nothing", async () => {
    const keys = keysOf("k", 2_001);
    const log = serve(current(keys));
    expect(await currentVersions(client(), "b")).toEqual(truth(current(keys)));
    expect(log).toEqual([
      "sent (start)",
      "answered (start)",
      "sent k00999",
      "answered k00999",
      "sent k01999",
      "answered k01999",
    ]);
    s3.reset();
    serve([]);
    expect(await currentVersions(client(), "b", keys)).toEqual(new Map());
  });
});

describe("the predicted pages", () => {
  it("start PAGE_OVERLAP keys before each 1,000th key, in S3's order, at most MAX_PAGES_AHEAD of them", () => {
    expect(predictedStarts(keysOf("k", 1_000))).toEqual([]);
    expect(predictedStarts(keysOf("k", 1_001))).toEqual(["k00949"]);
    expect(predictedStarts([...keysOf("k", 2_001)].reverse())).toEqual(["k00949", "k01949"]);
    expect(predictedStarts(keysOf("k", 100_000))).toHaveLength(MAX_PAGES_AHEAD);
  });

  it("orders keys by their UTF-8 bytes, as S3 lists them, not by UTF-16 code units", () => {
    // U+FF61 is EF BD A1 in UTF-8, U+1F600 is F0 9F 98 80: S3 lists the first first, while
    // JavaScript's < compares the surrogate D83D, below FF61, and puts it last.
    expect(s3KeyOrder("\uff61", "\u{1f600}")).toBeLessThan(0);
    expect("\u{1f600}" < "\uff61").toBe(true);
  });
});
