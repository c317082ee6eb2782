// The pack as a whole: the shipped stacks pass, suppressions need a reason and a finding, error
// findings fail synth (naming rule, path and fix) before anything is written, and `npm run check`
// prints and writes every result.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { buildApp } from "../../src/infra/app";
import { runCheck } from "../../src/cli/check";
import { parseSettings } from "../../src/config/load";
import { synthesizeWithRules } from "../../src/rules/enforce";
import { SITE_RULES } from "../../src/rules/catalog";
import { RuleReport } from "../../src/rules/findings";
import { REASON_MINIMUM, SuppressionError, reasonProblem } from "../../src/rules/messages";
import { compliant } from "../../src/rules/outcome";
import { RulePack } from "../../src/rules/pack";
import { namedAfterFile } from "../../src/rules/rule";
import { formatTable, toJson } from "../../src/rules/rule-report";
import { suppressRules, suppressionsOn } from "../../src/rules/suppressions";
import { SiteStorageStack } from "../../src/infra/stacks/site-storage-stack";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { captureOutput } from "./helpers/captured-output";

const PRIMARY = "site/primary-bucket/bucket";
/** The distribution of main's app, and the rules its stack suppresses on it, with reasons. */
const DISTRIBUTION = "site-storage/cdn/distribution/distribution";
const CDN_SUPPRESSED = ["SITE-CF-007", "SITE-CF-008", "SITE-CF-009"];
const REASON = "The primary bucket is rebuilt from the site sources on every deploy, so old versions are worthless.";

/** The shipped stack in a fresh app, with the pack applied. */
function site(app: App = Testing.app()): { stack: SiteStorageStack; pack: RulePack } {
  const stack = new SiteStorageStack(app, "site", parseSettings({}));
  return { stack, pack: RulePack.applyTo(stack, SITE_RULES) };
}

/** The synth failure message (validations on), or undefined when synth succeeds. */
function synthError(stack: TerraformStack): string | undefined {
  try {
    Testing.synth(stack, true);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function resultOf(report: RuleReport, ruleId: string, path: string) {
  return report.evaluations.find((e) => e.ruleId === ruleId && e.resourcePath === path);
}

/** Collects what a MessageSink receives. */
function sink(): { write(text: string): void; text: string } {
  return {
    text: "",
    write(text: string) {
      this.text += text;
    },
  };
}

describe("the rule catalog", () => {
  it("gives every rule a unique stable ID, a level, wording and its mappings", () => {
    const ids = SITE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SITE_RULES) {
      expect(rule.id).toMatch(/^SITE-(S3|KMS|IAM|CF|REG)-\d{3}$/);
      expect(["error", "warning"]).toContain(rule.level);
      expect(rule.message.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
      for (const id of rule.checkov) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
      for (const id of rule.securityHub) expect(id).toMatch(/^(S3|KMS|IAM|CloudFront)\.\d+$/);
    }
  });

  it("names each rule after its file, and holds every rule file of src/rules/checks exactly once", async () => {
    const root = join(__dirname, "../../src/rules/checks");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files).toHaveLength(SITE_RULES.length);
    for (const file of files) {
      const { default: evaluate } = (await import(join(root, file))) as { default: { name: string } };
      expect({
        file,
        name: evaluate.name,
        inCatalog: SITE_RULES.filter((r) => r.evaluate === evaluate).length,
      }).toEqual({ file, name: basename(file, ".ts"), inCatalog: 1 });
    }
  });

  it("takes a rule's name from the file it is declared in, whatever the function is called", () => {
    const evaluate = namedAfterFile("/anywhere/checks/s3/s3-some-rule.ts", function somethingElse() {
      return compliant();
    });
    expect(evaluate.name).toBe("s3-some-rule");
  });
});

describe("the stacks as shipped", () => {
  it("SiteStorageStack yields no error or warning, suppresses only the CloudFront controls it leaves out, and synthesizes with validations", () => {
    const { stack, pack } = site();
    expect(synthError(stack)).toBeUndefined();
    const report = pack.report(stack);
    expect({ errors: report.errors, warnings: report.warnings, problems: report.suppressionProblems }).toEqual({
      errors: [],
      warnings: [],
      problems: [],
    });
    expect(report.evaluations.filter((e) => e.result === "suppressed").map((e) => [e.ruleId, e.resourcePath])).toEqual(
      CDN_SUPPRESSED.map((id) => [id, DISTRIBUTION.replace("site-storage/", "site/")]),
    );
    expect(new Set(report.evaluations.map((e) => e.result))).toEqual(
      new Set(["compliant", "not-applicable", "suppressed"]),
    );
    expect(new Set(report.evaluations.map((e) => e.ruleId))).toEqual(new Set(SITE_RULES.map((r) => r.id)));
  });

  it("SiteStorageStack still passes with a CloudFront distribution and Replication Time Control", () => {
    const stack = new SiteStorageStack(
      Testing.app(),
      "site",
      parseSettings({
        primaryRegion: "eu-west-1",
        replicaRegion: "eu-central-1",
        replication: { replicationTimeControl: true },
        cloudfrontDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE",
        cdn: { enabled: false },
      }),
    );
    const pack = RulePack.applyTo(stack, SITE_RULES);
    expect(synthError(stack)).toBeUndefined();
    expect(pack.report(stack).errors).toEqual([]);
  });

  it("main's app applies the pack to every stack, and its suppressions (the CloudFront controls left out, the single-region state bucket) match findings", () => {
    const app = Testing.app();
    const pack = buildApp(app, parseSettings({}));
    const reports = pack.stacks.map((s) => pack.report(s));
    expect(reports.map((r) => r.stack)).toEqual(["site-storage", "site-state"]);
    expect(reports.flatMap((r) => [...r.errors, ...r.warnings, ...r.suppressionProblems])).toEqual([]);
    expect(
      reports.flatMap((r) =>
        r.evaluations.filter((e) => e.result === "suppressed").map((e) => [e.ruleId, e.resourcePath]),
      ),
    ).toEqual([...CDN_SUPPRESSED.map((id) => [id, DISTRIBUTION]), ["SITE-S3-007", "site-state/state-bucket/bucket"]]);
  });
});

describe("the stacks as shipped, with the CI roles", () => {
  it.each([
    ["the default CDN stage", {}],
    [
      "a custom domain in a hosted zone (ACM certificate reads)",
      { domainNames: ["www.a.example"], hostedZoneId: "Z0A" },
    ],
  ])("main's app with remote state and the CI roles, with %s, yields no error or warning in any stack", (_, cdn) => {
    const app = Testing.app();
    const pack = buildApp(
      app,
      parseSettings({
        backend: { type: "s3", bucket: "acme-site-tfstate-111122223333" },
        ci: { githubRepository: "a/b" },
        cdn,
      }),
    );
    const reports = pack.stacks.map((s) => pack.report(s));
    expect(reports.map((r) => r.stack)).toContain("site-ci");
    expect(reports.flatMap((r) => [...r.errors, ...r.warnings, ...r.suppressionProblems])).toEqual([]);
  });
});

describe("suppressions", () => {
  it("accepts a suppression with a reason: the finding is reported as suppressed and synth passes", () => {
    const { stack, pack } = site();
    stack.primaryBucket.versioning.putVersioningConfiguration({ status: "Suspended" });
    suppressRules(stack.primaryBucket, [{ id: "SITE-S3-001", reason: REASON }]);
    expect(synthError(stack)).toBeUndefined();
    const report = pack.report(stack);
    expect(report.errors).toEqual([]);
    expect(resultOf(report, "SITE-S3-001", PRIMARY)).toMatchObject({
      result: "suppressed",
      suppression: { path: "site/primary-bucket", reason: REASON },
    });
    expect(suppressionsOn(stack.primaryBucket)).toEqual([{ id: "SITE-S3-001", reason: REASON }]);
  });

  it("applies a suppression to every resource below the construct, and only there", () => {
    const { stack, pack } = site();
    stack.primaryBucket.versioning.putVersioningConfiguration({ status: "Suspended" });
    stack.replicaBucket.versioning.putVersioningConfiguration({ status: "Suspended" });
    suppressRules(stack, [{ id: "SITE-S3-001", reason: REASON }]);
    expect(
      pack
        .report(stack)
        .evaluations.filter((e) => e.result === "suppressed" && e.ruleId === "SITE-S3-001")
        .map((e) => e.resourcePath),
    ).toEqual([PRIMARY, "site/replica-bucket/bucket"]);
  });

  it("does not let a suppression on one bucket excuse another", () => {
    const { stack, pack } = site();
    stack.primaryBucket.versioning.putVersioningConfiguration({ status: "Suspended" });
    suppressRules(stack.replicaBucket, [{ id: "SITE-S3-001", reason: REASON }]);
    const report = pack.report(stack);
    expect(report.errors.map((e) => [e.ruleId, e.resourcePath])).toEqual([["SITE-S3-001", PRIMARY]]);
    expect(report.suppressionProblems.map((p) => [p.id, p.path])).toEqual([["SITE-S3-001", "site/replica-bucket"]]);
  });

  it.each([
    ["no reason", undefined, /has no reason/],
    ["an empty reason", "   ", /has no reason/],
    ["a too-short reason", "not needed", /has the reason "not needed" \(10 characters, 2 words\)/],
    ["one long word", "x".repeat(40), /\(40 characters, 1 words\)/],
    ["three words", "replication handled elsewhere", /\(29 characters, 3 words\)/],
  ])("rejects a suppression with %s, before storing anything", (_case, reason, message) => {
    const { stack } = site();
    const suppress = () => suppressRules(stack.primaryBucket, [{ id: "SITE-S3-001", reason: reason as string }]);
    expect(suppress).toThrow(SuppressionError);
    expect(suppress).toThrow(message);
    expect(suppress).toThrow(`Invalid rule suppression(s) on site/primary-bucket, 1 problem(s):\n  - SITE-S3-001: `);
    expect(suppressionsOn(stack.primaryBucket)).toEqual([]);
  });

  it("rejects a suppression without a rule ID, listing every problem at once", () => {
    const { stack } = site();
    expect(() =>
      suppressRules(stack, [
        { id: "", reason: REASON },
        { id: "SITE-S3-001", reason: "ok" },
      ]),
    ).toThrow(
      /2 problem\(s\):\n {2}- \(no id\): has no rule ID \(such as SITE-S3-001\)\n {2}- SITE-S3-001: has the reason "ok"/,
    );
  });

  it("documents the reason rule it enforces", () => {
    expect(REASON_MINIMUM).toEqual({ characters: 20, words: 4 });
    expect(reasonProblem("The replica is the destination, never replicated again.")).toBeUndefined();
  });

  it("rejects a suppression that matches no finding: synth fails naming it", () => {
    const { stack, pack } = site();
    suppressRules(stack.primaryBucket, [{ id: "SITE-S3-001", reason: REASON }]);
    expect(pack.report(stack).suppressionProblems).toEqual([
      expect.objectContaining({ id: "SITE-S3-001", path: "site/primary-bucket" }),
    ]);
    expect(synthError(stack)).toContain(
      "suppression of SITE-S3-001 on site/primary-bucket matches no finding at or below that construct: remove it",
    );
  });

  it("rejects a suppression of a rule the pack does not have", () => {
    const { stack } = site();
    suppressRules(stack, [{ id: "SITE-S3-999", reason: REASON }]);
    expect(synthError(stack)).toMatch(
      /suppression of SITE-S3-999 on site names no rule of the pack \(known: SITE-S3-001, .*SITE-REG-001\)/,
    );
  });
});

describe("failing synth", () => {
  it("fails Testing.synth with validations, naming the rule, the resource path and the fix", () => {
    const { stack } = site();
    stack.primaryBucket.bucket.forceDestroy = true;
    expect(synthError(stack)).toContain(
      "[site] SITE-S3-010 S3 bucket has force_destroy on: site/primary-bucket/bucket (aws_s3_bucket.primary-bucket_D87EC2E7)" +
        " — force_destroy = true. Fix: leave force_destroy unset or false on aws_s3_bucket",
    );
  });

  describe("through the app", () => {
    let outdir: string;
    beforeEach(() => {
      outdir = mkdtempSync(join(tmpdir(), "rules-synth-"));
    });
    afterEach(() => rmSync(outdir, { recursive: true, force: true }));
    const written = () => readdirSync(join(outdir, "stacks"));

    it("app.synth() throws on an error finding before the stack is written", () => {
      const app = new App({ outdir });
      const { stack } = site(app);
      stack.replicaKey.key.enableKeyRotation = false;
      expect(() => app.synth()).toThrow(
        /SITE-KMS-001 KMS key rotation is not enabled: site\/replica-key\/key .*Fix: set enable_key_rotation = true/,
      );
      expect(written()).toEqual([]);
    });

    it("synthesizeWithRules prints every error and returns 1, writing no stack", () => {
      const app = new App({ outdir });
      const { stack, pack } = site(app);
      stack.replicaKey.key.enableKeyRotation = false;
      stack.primaryBucket.ownershipControls.putRule({ objectOwnership: "ObjectWriter" });
      const messages = sink();
      expect(synthesizeWithRules(app, pack, messages)).toBe(1);
      expect(messages.text).toMatch(
        /^Rule pack: 2 error\(s\):\n {2}SITE-S3-005 .*site\/primary-bucket\/bucket.*Fix: .*\n {2}SITE-KMS-001 .*site\/replica-key\/key.*Fix: .*\n/,
      );
      expect(messages.text).toContain("Nothing was synthesized");
      expect(written()).toEqual([]);
    });

    it("synthesizeWithRules synthesizes and prints warnings, returning 0", () => {
      const app = new App({ outdir });
      const { stack, pack } = site(app);
      stack.primaryBucket.encryption.putRule([
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: stack.primaryKey.arn } },
      ]);
      const messages = sink();
      expect(synthesizeWithRules(app, pack, messages)).toBe(0);
      expect(messages.text).toMatch(
        /^Rule pack: 1 warning\(s\):\n {2}SITE-S3-003 S3 Bucket Key is not enabled for SSE-KMS: site\/primary-bucket\/bucket/,
      );
      expect(written()).toEqual(["site"]);
    });

    it("writes every stack of a clean app through synthesizeWithRules", () => {
      const app = new App({ outdir });
      const pack = buildApp(app, parseSettings({}));
      expect(synthesizeWithRules(app, pack, sink())).toBe(0);
      expect(written().sort()).toEqual(pack.stacks.map((s) => s.node.id).sort());
    });

    it("synthesizeWithRules prints nothing for a clean app", () => {
      const app = new App({ outdir });
      const { pack } = site(app);
      const messages = sink();
      expect(synthesizeWithRules(app, pack, messages)).toBe(0);
      expect(messages.text).toBe("");
      expect(existsSync(join(outdir, "stacks", "site", "cdk.tf.json"))).toBe(true);
    });
  });
});

describe("reports", () => {
  it("judge a property edited between two reports as it is now", () => {
    const { stack, pack } = site();
    expect(resultOf(pack.report(stack), "SITE-S3-010", PRIMARY)).toMatchObject({ result: "compliant" });
    stack.primaryBucket.bucket.forceDestroy = true;
    expect(resultOf(pack.report(stack), "SITE-S3-010", PRIMARY)).toMatchObject({
      result: "non-compliant",
      detail: "force_destroy = true",
    });
  });

  it("apply a suppression added between two reports", () => {
    const { stack, pack } = site();
    stack.primaryBucket.versioning.putVersioningConfiguration({ status: "Suspended" });
    expect(pack.report(stack).errors.map((e) => [e.ruleId, e.resourcePath])).toEqual([["SITE-S3-001", PRIMARY]]);
    suppressRules(stack.primaryBucket, [{ id: "SITE-S3-001", reason: REASON }]);
    const second = pack.report(stack);
    expect(second.errors).toEqual([]);
    expect(resultOf(second, "SITE-S3-001", PRIMARY)).toMatchObject({ result: "suppressed" });
  });

  it("judge a resource added between two reports", () => {
    const { stack, pack } = site();
    expect(pack.report(stack).errors).toEqual([]);
    new S3Bucket(stack, "late-bucket", { provider: stack.primaryProvider, bucket: "late-bucket" });
    expect(pack.report(stack).errors.map((f) => [f.ruleId, f.resourcePath])).toContainEqual([
      "SITE-S3-001",
      "site/late-bucket",
    ]);
  });

  it("fail synth with each error once, however often the stack is synthesized", () => {
    const { stack } = site();
    stack.primaryBucket.bucket.forceDestroy = true;
    synthError(stack);
    expect(synthError(stack)?.match(/SITE-S3-010 /g)).toHaveLength(1);
  });
});

describe("npm run check", () => {
  let dir: string;
  const output = captureOutput();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "rules-check-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints every rule's result per resource as a table and writes the same as JSON", () => {
    const file = join(dir, "report.json");
    expect(runCheck(["--json", file], { SITE_CONFIG: undefined })).toBe(0);
    const text = output.stdout();
    expect(text).toMatch(/^RULE +LEVEL +RESOURCE +RESULT +CHECKOV +SECURITY HUB\n/);
    expect(text).toMatch(/\nSITE-S3-001 +error +site-storage\/primary-bucket\/bucket +compliant +CKV_AWS_21 +S3\.14\n/);
    expect(text).toMatch(/\nSITE-S3-007 +error +site-state\/state-bucket\/bucket +suppressed +CKV_AWS_144 +S3\.7\n/);
    expect(text).toContain("0 error(s), 0 warning(s)");
    const json = JSON.parse(readFileSync(file, "utf8"));
    expect(json).toMatchObject({ formatVersion: 1, passed: true });
    expect(json.rules.map((r: { id: string }) => r.id)).toEqual(SITE_RULES.map((r) => r.id));
    expect(json.rules[0]).toEqual({
      id: "SITE-S3-001",
      rule: "s3-bucket-versioning-enabled",
      level: "error",
      subject: "bucket",
      message: "S3 bucket versioning is not enabled",
      rationale: SITE_RULES[0].rationale,
      fix: SITE_RULES[0].fix,
      checkov: ["CKV_AWS_21"],
      securityHub: ["S3.14"],
    });
    const rows = json.stacks.flatMap((s: { results: unknown[] }) => s.results);
    expect(rows).toContainEqual(
      expect.objectContaining({
        ruleId: "SITE-KMS-001",
        rule: "kms-key-rotation",
        level: "error",
        resourcePath: "site-storage/primary-key/key",
        result: "compliant",
        checkov: ["CKV_AWS_7"],
        securityHub: ["KMS.4"],
      }),
    );
    expect(rows.length).toBe(text.split("\n").filter((l) => /^SITE-/.test(l)).length);
  });

  it("refuses unknown arguments and a --json without a file, with the usage", () => {
    expect(runCheck(["--json"])).toBe(2);
    expect(output.stderr()).toContain("check: Option '--json <value>' argument missing");
    expect(runCheck(["--jsn", "x"])).toBe(2);
    expect(output.stderr()).toContain("check: Unknown option '--jsn'");
    expect(output.stderr()).toContain("Usage: npm run check [-- --json <file>]");
  });

  it("prints its usage and exits 0 on --help", () => {
    expect(runCheck(["--help"])).toBe(0);
    expect(output.stdout()).toMatch(/^Usage: npm run check/);
  });

  it("exits 2 with the config problems when the settings are bad", () => {
    expect(runCheck([], { SITE_CONFIG: join(dir, "missing.json") })).toBe(2);
    expect(output.stderr()).toContain("names a config file that does not exist");
  });

  it("marks the report failed when an error finding exists", () => {
    const { stack, pack } = site();
    stack.primaryBucket.bucket.forceDestroy = true;
    const report = pack.report(stack);
    expect(toJson([report], pack.rules)).toMatchObject({ passed: false });
    expect(formatTable([report])).toMatch(/\nSITE-S3-010 +error +site\/primary-bucket\/bucket +non-compliant +- +-\n/);
  });
});
