// What every end-to-end file shares: the tools they need, and what happens without them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { missingPrerequisites } from "../../src/ops/tools";

const missing = missingPrerequisites();

/**
 * `describe`, when terraform, moto_server and the provider mirror are all there. Without them:
 * in CI the suite FAILS with what is missing and how to install it; on a workstation it is
 * skipped, and says so on stderr. Never a silent pass.
 */
export function describeE2e(name: string, body: () => void): void {
  if (missing.length === 0) return describe(name, body);
  const message = `The end-to-end suite needs terraform, moto_server and the AWS provider mirror:\n- ${missing.join("\n- ")}`;
  if (process.env.CI)
    return describe(name, () =>
      it("has its tools", () => {
        throw new Error(message);
      }),
    );
  process.stderr.write(`SKIPPED ${name}: ${message}\n`);
  describe.skip(name, body);
}

/**
 * How many resources a synthesized stack declares: the entries under `resource` in its
 * cdk.tf.json (data sources are not resources). None of ours uses `count` or `for_each`, so each
 * entry is one resource Terraform creates; should one ever use them, this throws rather than
 * let an expected count silently follow a wrong number.
 */
export function declaredResourceCount(stackDir: string): number {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
  };
  const entries = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ address: `${type}.${name}`, body })),
  );
  const repeated = entries.filter(({ body }) => "count" in body || "for_each" in body).map(({ address }) => address);
  if (repeated.length > 0) throw new Error(`${repeated.join(", ")} use count or for_each: count their instances`);
  if (entries.length === 0) throw new Error(`${stackDir}/cdk.tf.json declares no resource`);
  return entries.length;
}
