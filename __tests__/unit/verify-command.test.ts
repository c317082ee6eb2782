import { Testing } from "cdktf";
import { exitCodeOf, main, verdict } from "../../src/cli/verify";
import { parseSettings } from "../../src/config/load";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { AwsClients } from "../../src/ops/aws-clients";
import { CheckRow } from "../../src/ops/verify/check-row";
import { Declaration } from "../../src/ops/verify/declaration";
import { discoverDeployment } from "../../src/ops/verify/live-index";
import { captureOutput } from "./helpers/captured-output";

const ACCOUNT = "210987654321";
const pass = (check: string): CheckRow => ({ check, resource: "r", expected: "x", found: "x", pass: true });
const fail = (check: string, resource: string, expected: string, found: string): CheckRow => ({
  check,
  resource,
  expected,
  found,
  pass: false,
});
const result = (rows: CheckRow[], notShown: string[] = []) => ({
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
    const done = result([pass("versioning"), fail("default encryption: Bucket Key", "site-primary", "true", "false")]);
    expect(exitCodeOf(done)).toBe(1);
    expect(verdict(done)).toBe(
      [
        `FAILED: 1 of 2 checks (account ${ACCOUNT}, settings defaults):`,
        "  - default encryption: Bucket Key on site-primary: expected true, found false",
        "",
      ].join("\n"),
    );
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
      /verify: could not run: the settings cannot be synthesized:[\s\S]*names a config file that does not exist/,
    );
  });
});

/** AWS clients that answer ListAliases from a table, and nothing else. */
function fakeClients(aliases: Record<string, { AliasName: string; TargetKeyId: string }[]>): AwsClients {
  return {
    kms: (region: string) => ({ send: async () => ({ Aliases: aliases[region] ?? [] }) }),
  } as unknown as AwsClients;
}

describe("finding a deployment without a state", () => {
  // The storage stack without the cdn: finding a distribution without a state is not written yet.
  const synthesized = JSON.parse(
    Testing.synth(new SiteStorageStack(Testing.app(), "site-storage", parseSettings({ cdn: { enabled: false } }))),
  );
  const caller = { account: ACCOUNT, arn: `arn:aws-cn:iam::${ACCOUNT}:user/me`, partition: "aws-cn" };

  it("resolves every reference of the stack from STS and the key aliases", async () => {
    const index = await discoverDeployment(
      synthesized,
      fakeClients({
        "us-east-1": [{ AliasName: "alias/portfolio-site-primary", TargetKeyId: "key-east" }],
        "us-west-2": [{ AliasName: "alias/portfolio-site-replica", TargetKeyId: "key-west" }],
      }),
      caller,
    );
    const declaration = new Declaration(synthesized, index, "us-east-1");
    const [configuration] = declaration.resources("aws_s3_bucket_replication_configuration");
    const rule = (declaration.resolved(configuration, "rule") as Record<string, unknown>[])[0];
    expect(rule.destination).toEqual(
      expect.objectContaining({
        bucket: `arn:aws-cn:s3:::portfolio-site-replica-${ACCOUNT}`,
        encryption_configuration: { replica_kms_key_id: `arn:aws-cn:kms:us-west-2:${ACCOUNT}:key/key-west` },
      }),
    );
    expect(declaration.resolved(configuration, "role")).toBe(
      `arn:aws-cn:iam::${ACCOUNT}:role/portfolio-site-s3-replication`,
    );
    for (const policy of declaration
      .resources("aws_s3_bucket_policy")
      .map((r) => String(declaration.resolved(r, "policy")))) {
      expect(policy).not.toContain("${");
    }
  });

  it("marks a key whose alias is gone as missing, naming the alias, instead of guessing it", async () => {
    const index = await discoverDeployment(
      synthesized,
      fakeClients({
        "us-east-1": [{ AliasName: "alias/portfolio-site-primary", TargetKeyId: "key-east" }],
      }),
      caller,
    );
    const declaration = new Declaration(synthesized, index, "us-east-1");
    const replicaKey = declaration.resources("aws_kms_key").find((k) => k.name.startsWith("replica-key"));
    expect(declaration.applied(replicaKey!).values.arn).toBe(
      "(missing: no alias alias/portfolio-site-replica in us-west-2)",
    );
  });
});
