// The one map of verify's AWS calls (common/verify-calls.ts) must name every SDK command verify
// sends: the CI roles grant its reads, the cannot-run message names the permission from it and
// the README lists it. So the source of `npm run verify` (everything src/cli/verify.ts imports,
// directly or not: the readers, the discovery of the live resources, the probe) is read for
// `new XCommand(`, and each command is compared with the map.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { PROBE_CALLS, VERIFY_READS, verifyReadActions } from "../../src/common/verify-calls";

const ROOT = join(__dirname, "..", "..");
const ENTRY = join(ROOT, "src", "cli", "verify.ts");

/**
 * STS GetCallerIdentity: "No permissions are required to perform this operation"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
const NEEDS_NO_PERMISSION = ["GetCallerIdentityCommand"];

/** The project's source files `entry` imports, directly or not, itself included (relative imports only). */
function sourcesOf(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/(?:from|import)\s+"(\.[^"]+)"/g)) {
      const target = join(dirname(file), spec);
      const found = [`${target}.ts`, join(target, "index.ts")].find((candidate) => existsSync(candidate));
      if (found === undefined) throw new Error(`${relative(ROOT, file)} imports ${spec}, which is not a source file`);
      queue.push(found);
    }
  }
  return [...seen];
}

/** Every SDK command constructed in `files`, with the files that construct it. */
function commandsIn(files: readonly string[]): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  for (const file of files) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(/new\s+(\w+Command)\s*\(/g)) {
      commands.set(name, [...(commands.get(name) ?? []), relative(ROOT, file)]);
    }
  }
  return commands;
}

const sent = commandsIn(sourcesOf(ENTRY));

describe("the map of verify's AWS calls", () => {
  it("reaches the discovery and the readers of the CDN stage (the scan is not empty)", () => {
    expect(sent.get("ListDistributionsCommand")).toEqual(["src/ops/cloudfront-lists.ts"]);
    expect(sent.get("ListCertificatesCommand")).toEqual(["src/ops/deployment/live-cdn.ts"]);
    expect(sent.get("GetDistributionCommand")).toEqual(["src/ops/verify/readers/cloudfront-distribution.ts"]);
  });

  it("names every command verify sends, with its IAM action", () => {
    const unnamed = [...sent.keys()].filter(
      (name) =>
        !NEEDS_NO_PERMISSION.includes(name) && VERIFY_READS[name] === undefined && PROBE_CALLS[name] === undefined,
    );
    expect(unnamed.map((name) => `${name} (${sent.get(name)?.join(", ")})`)).toEqual([]);
  });

  it("names no command verify does not send", () => {
    const named = [...Object.keys(VERIFY_READS), ...Object.keys(PROBE_CALLS)];
    expect(named.filter((name) => !sent.has(name))).toEqual([]);
  });

  it("filters the reads by scope and service: the CDN List calls without kms:ListAliases", () => {
    expect(verifyReadActions("any", "cloudfront")).toEqual([
      "cloudfront:ListDistributions",
      "cloudfront:ListOriginAccessControls",
    ]);
    expect(verifyReadActions("any", "acm")).toEqual(["acm:ListCertificates"]);
    expect(verifyReadActions("distribution")).toEqual([
      "cloudfront:GetDistribution",
      "cloudfront:GetDistributionConfig",
      "cloudfront:ListTagsForResource",
    ]);
    expect(verifyReadActions("certificate")).toEqual(["acm:DescribeCertificate"]);
  });
});
