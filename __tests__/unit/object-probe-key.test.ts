import { PROBE_PREFIX, probeKey } from "../../src/ops/probe/object-probe";

describe("the probe's object key", () => {
  it("is new for every run, even two started in the same millisecond", () => {
    const now = new Date("2026-12-03T08:00:00.000Z");
    const keys = new Set(Array.from({ length: 50 }, () => probeKey(now)));
    expect(keys.size).toBe(50);
  });

  it("lives under the verifier's prefix, named by the time and a random suffix", () => {
    expect(probeKey(new Date("2026-12-03T08:00:00.000Z"))).toMatch(
      new RegExp(`^${PROBE_PREFIX}2026-12-03T08-00-00-000Z-[0-9a-f]{8}\\.txt$`),
    );
  });
});
