import { exitCodeOf, main, verdict } from "../../src/cli/verify";
import { VerifyRow } from "../../src/ops/verify/row";
import { captureOutput } from "./helpers/captured-output";

const ACCOUNT = "210987654321";
const pass = (path: string): VerifyRow => ({ resource: "r", path, expected: "x", found: "x", status: "pass" });
const fail = (path: string, resource: string, expected: string, found: string): VerifyRow => ({
  resource,
  path,
  expected,
  found,
  status: "fail",
});
const result = (rows: VerifyRow[], notShown: string[] = []) => ({
  account: ACCOUNT,
  rows,
  notShown,
  configSource: "defaults",
  emulator: false,
});

describe("npm run verify's answer", () => {
  it("exits 0 when every check passes, and says so with the account and the settings", () => {
    const done = result([pass("versioning"), pass("key rotation")]);
    expect(exitCodeOf(done)).toBe(0);
    expect(verdict(done)).toBe(`OK: 2 checks pass (account ${ACCOUNT}, settings defaults).\n`);
  });

  it("exits 1 on any failed check, listing each with its resource, expectation and finding", () => {
    const done = result([pass("versioning"), fail("rule.bucket_key_enabled", "site-primary", "true", "false")]);
    expect(exitCodeOf(done)).toBe(1);
    expect(verdict(done)).toBe(
      [
        `FAILED: 1 of 2 checks (account ${ACCOUNT}, settings defaults):`,
        "  - site-primary rule.bucket_key_enabled",
        "      expected: true",
        "      found:    false",
        "",
      ].join("\n"),
    );
  });

  it("counts a tolerated row as passing", () => {
    const tolerated: VerifyRow = { ...fail("rule.x.status", "r", "Enabled", "Disabled"), status: "tolerated" };
    expect(exitCodeOf(result([pass("versioning"), tolerated]))).toBe(0);
  });

  it("names what the run could not show", () => {
    expect(verdict(result([pass("x")], ["replication of an object (--no-probe: the run was read-only)"]))).toMatch(
      /\nNot shown by this run:\n {2}- replication of an object \(--no-probe/,
    );
  });
});

describe("npm run verify, before it reaches AWS", () => {
  const output = captureOutput();

  it("prints its usage and exits 0 on --help", async () => {
    expect(await main(["--help"])).toBe(0);
    expect(output.stdout()).toMatch(/^Usage: npm run verify/);
  });

  it.each([
    ["--probe-timeout", "0"],
    ["--probe-timeout", "soon"],
  ])("refuses %s %s with exit 2", async (flag, value) => {
    expect(await main([flag, value])).toBe(2);
    expect(output.stderr()).toMatch(/--probe-timeout must be a whole number of seconds, at least 1/);
  });

  it("refuses an unknown flag with exit 2", async () => {
    expect(await main(["--force"])).toBe(2);
    expect(output.stderr()).toMatch(/verify: Unknown option '--force'/);
  });

  it("exits 2 naming the problem when the settings cannot be read", async () => {
    expect(await main(["--no-probe"], { SITE_CONFIG: "/nonexistent/site.config.json" })).toBe(2);
    expect(output.stderr()).toMatch(
      /verify: could not run: Invalid site configuration \(\/nonexistent\/site\.config\.json\)[\s\S]*names a config file that does not exist/,
    );
  });
});
