// What every end-to-end file shares: the tools they need, and what happens without them.
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
