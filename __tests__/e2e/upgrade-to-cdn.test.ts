// Upgrading a deployment made before the CDN stage: deploy the stack as it was synthesized then
// (checked-in fixtures, see fixtures/README.md), plan what the app synthesizes now, and check that
// the plan guard passes, no bucket or key is deleted or replaced, and the keys keep their ids once
// the plan is applied. On a fresh emulator per case, stopped (and so emptied) afterwards.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { guardPlan } from "../../src/ops/plan/guard";
import { PlanJson, deletes, replaces } from "../../src/ops/plan/plan-json";
import { LocalSession } from "../../src/ops/local-run/session";
import { discoverTools } from "../../src/ops/tools";
import { describeE2e } from "./support";

const FIXTURES = join(__dirname, "fixtures");
const DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/E2UPGRADE0TEST";

/** Resource types whose deletion or replacement would lose data or the means to read it. */
const KEPT_TYPES = ["aws_s3_bucket", "aws_kms_key"];

const CASES = [
  {
    name: "made with the default settings, upgraded to the default CDN stage",
    fixture: "site-storage-before-cdn.default.tf.json",
    now: { protectData: false },
    adds: ["aws_cloudfront_distribution", "aws_cloudfront_origin_access_control", "aws_kms_key_policy"],
  },
  {
    name: "made with cloudfrontDistributionArn, upgraded with the cdn off (bring your own distribution)",
    fixture: "site-storage-before-cdn.distribution-arn.tf.json",
    now: { protectData: false, cloudfrontDistributionArn: DISTRIBUTION_ARN, cdn: { enabled: false } },
    adds: ["aws_kms_key_policy"],
  },
] as const;

/** The id of every key in the state, by Terraform address. */
async function keyIds(session: LocalSession): Promise<Record<string, string>> {
  const state = await session.terraform.statePull();
  return Object.fromEntries(
    (state.resources ?? [])
      .filter((r) => r.mode === "managed" && r.type === "aws_kms_key")
      .map((r) => [`${r.type}.${r.name}`, String(r.instances[0]?.attributes?.key_id)]),
  );
}

/** Every change of a kept type that deletes or replaces, as `address (actions)`. */
function lossesIn(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((c) => KEPT_TYPES.includes(c.type) && (deletes(c.change.actions) || replaces(c.change.actions)))
    .map((c) => `${c.address} (${c.change.actions.join(", ")})`);
}

describeE2e("upgrading a deployment made before the CDN stage", () => {
  jest.setTimeout(600_000);

  describe.each(CASES)("$name", ({ fixture, now, adds }) => {
    let session: LocalSession | undefined;
    afterAll(async () => {
      await session?.close({ removeWorkDir: true });
    });

    it("plans without losing a bucket or a key, passes the guard, and keeps every key's id", async () => {
      session = await LocalSession.open({ region: "us-east-1", tools: discoverTools() });
      // The session's Terraform folder, then the old stack in it instead of the new one, with the
      // backend block this synth writes (the state file moves into the session's folder anyway).
      const synthesized = await session.synth(now);
      const old = JSON.parse(readFileSync(join(FIXTURES, fixture), "utf8")) as { terraform: Record<string, unknown> };
      old.terraform.backend = (synthesized.json.terraform as Record<string, unknown>).backend;
      writeFileSync(join(synthesized.stackDir, "cdk.tf.json"), JSON.stringify(old, null, 2));
      await session.init();
      await session.apply(await session.plan("before"));
      const before = await keyIds(session);
      expect(Object.keys(before)).toHaveLength(2);

      await session.synth(now);
      const upgrade = await session.plan("upgrade");
      expect(lossesIn(upgrade.json)).toEqual([]);
      // Not even an update: the key's policy moves to aws_kms_key_policy, and `policy` on
      // aws_kms_key is Optional and Computed, so leaving it out changes nothing on the key.
      const kept = (upgrade.json.resource_changes ?? []).filter((c) => KEPT_TYPES.includes(c.type));
      expect(kept.map((c) => `${c.address}: ${c.change.actions.join(", ")}`)).toEqual(
        kept.map((c) => `${c.address}: no-op`),
      );
      const guard = guardPlan(upgrade.json);
      expect(guard.findings).toEqual([]);
      expect(guard.ok).toBe(true);
      const created = new Set(
        (upgrade.json.resource_changes ?? []).filter((c) => c.change.actions.includes("create")).map((c) => c.type),
      );
      expect([...created].sort()).toEqual([...adds].sort());

      await session.apply(upgrade);
      expect(await keyIds(session)).toEqual(before);
    });
  });
});
