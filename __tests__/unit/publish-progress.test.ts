// What a publish shows while it works: a bar redrawn in place on a terminal, one plain line per
// object in a log; and the wait for an invalidation, reported while it is in progress.
import { CloudFrontClient, GetInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { mockClient } from "aws-sdk-client-mock";
import { waitForInvalidation } from "../../src/ops/publish/invalidation";
import { Progress, formatBytes } from "../../src/ops/publish/progress";

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { out: { isTTY, columns: 100, write: (text: string) => written.push(text) }, written };
}

describe("progress", () => {
  it("writes one plain line per object when the output is not a terminal", () => {
    const { out, written } = sink(false);
    const progress = new Progress(out);
    progress.start("assets", 2);
    progress.step("uploaded a.css (10 B)", 10);
    progress.step("uploaded b.js (20 B)", 20);
    progress.end();
    expect(written.join("")).toBe("assets: 2\n  uploaded a.css (10 B)\n  uploaded b.js (20 B)\n");
  });

  it("redraws one bar in place on a terminal, with the count and the bytes", () => {
    const { out, written } = sink(true);
    const progress = new Progress(out);
    progress.start("assets", 2);
    progress.step("uploaded a.css", 1500);
    progress.end();
    expect(written.every((text) => text.startsWith("\r") || text === "\n")).toBe(true);
    expect(written[1]).toMatch(/^\rassets {10} \[#{20}\.{20}\] 1\/2 1\.5 kB$/);
    expect(written[written.length - 1]).toBe("\n");
  });

  it("formats bytes for people", () => {
    expect([formatBytes(999), formatBytes(1000), formatBytes(18_500_000)]).toEqual(["999 B", "1.0 kB", "18.5 MB"]);
  });
});

describe("waiting for an invalidation", () => {
  const cloudfront = mockClient(CloudFrontClient);
  afterEach(() => {
    cloudfront.reset();
    jest.useRealTimers();
  });

  it("reports the status while it is in progress and returns once it has completed", async () => {
    jest.useFakeTimers();
    cloudfront
      .on(GetInvalidationCommand)
      .resolvesOnce({ Invalidation: { Id: "I1", Status: "InProgress" } as never })
      .resolves({ Invalidation: { Id: "I1", Status: "Completed" } as never });
    const lines: string[] = [];
    const waiting = waitForInvalidation(new CloudFrontClient({ region: "us-east-1" }), "E1", "I1", (l) =>
      lines.push(l),
    );
    await jest.advanceTimersByTimeAsync(10_000);
    await waiting;
    expect(lines).toEqual(["invalidation I1: InProgress after 0 s"]);
    expect(cloudfront.commandCalls(GetInvalidationCommand)).toHaveLength(2);
  });
});
