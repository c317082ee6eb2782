// The eslint rule that enforces the import map, run in process on small sources placed (by file
// name only) in the homes of the map: it must refuse what the map forbids and accept what it allows.
import { join, resolve } from "node:path";
import { Linter, Rule } from "eslint";
import tseslint from "typescript-eslint";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule is CommonJS, shared with eslint.config.mjs
const { importMapRule } = require("../../lint/import-map.cjs") as { importMapRule: Rule.RuleModule };

const PROJECT_DIR = resolve(__dirname, "..", "..");
const linter = new Linter({ cwd: PROJECT_DIR });
const config: Linter.Config[] = [
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { site: { rules: { "import-map": importMapRule } } },
    rules: { "site/import-map": "error" },
  },
];

/** The import-map messages for `source` as if it were the file at `path` in the project. */
function problemsOf(path: string, source: string): string[] {
  return linter.verify(source, config, { filename: join(PROJECT_DIR, path) }).map((m) => m.message);
}

describe("the import map's eslint rule", () => {
  it.each([
    ["src/common/x.ts", 'import { parseSettings } from "../config/load";', "src/common may not import src/config"],
    ["src/config/x.ts", 'import { SiteRulePack } from "../rules/pack";', "src/config may not import src/rules"],
    ["src/rules/x.ts", 'import { Settings } from "../config/schema";', "src/rules may not import src/config"],
    [
      "src/infra/constructs/x.ts",
      'import { SiteStorageStack } from "../stacks/site-storage-stack";',
      "src/infra/constructs may not import src/infra/stacks",
    ],
    [
      "src/infra/policies/x.ts",
      'import { SecureBucket } from "../constructs/secure-bucket";',
      "src/infra/policies may not import src/infra/constructs",
    ],
    [
      "src/ops/plan/x.ts",
      'export { SiteStorageStack } from "../../infra/stacks/site-storage-stack";',
      "src/ops/plan may not import src/infra/stacks",
    ],
    ["src/ops/verify/x.ts", 'import { main } from "../../cli/local";', "src/ops/verify may not import src/cli"],
    [
      "src/ops/terraform/x.ts",
      'import { runLocal } from "../local-run/run-local";',
      "src/ops/terraform may not import src/ops/local-run",
    ],
    [
      "src/ops/x.ts",
      'import { Terraform } from "./terraform/runner";',
      "src/ops/*.ts may not import src/ops/terraform",
    ],
    [
      "src/ops/verify/x.ts",
      'import { EMULATOR_DIFFERENCES } from "../emulator/differences";',
      "src/ops/verify may not import src/ops/emulator",
    ],
    [
      "src/ops/verify/x.ts",
      'import { probeObjects } from "../probe/object-probe";',
      "src/ops/verify may not import src/ops/probe",
    ],
    [
      "src/ops/probe/x.ts",
      'import { emulatorObjectWrites } from "../emulator/object-writes";',
      "src/ops/probe may not import src/ops/emulator",
    ],
    [
      "src/ops/deployment/x.ts",
      'import { EMULATOR_DIFFERENCES } from "../emulator/differences";',
      "src/ops/deployment may not import src/ops/emulator",
    ],
    [
      "src/ops/deployment/x.ts",
      'import { verifyDeployment } from "../verify/verify";',
      "src/ops/deployment may not import src/ops/verify",
    ],
  ])("refuses, in %s, %s", (path, source, problem) => {
    expect(problemsOf(path, source)).toEqual([expect.stringContaining(problem)]);
  });

  it.each([
    ["src/infra/stacks/x.ts", 'import { SecureBucket } from "../constructs/secure-bucket";'],
    ["src/ops/local-run/x.ts", 'import { verifyDeployment } from "../verify/verify";'],
    ["src/ops/verify/x.ts", 'import type { EmulatorDifference } from "../emulator/differences";'],
    ["src/ops/plan/x.ts", 'import { type EmulatorDifference } from "../emulator/differences";'],
    ["src/ops/probe/x.ts", 'import type { WithObjectWrites } from "../emulator/object-writes";'],
    ["src/ops/probe/x.ts", 'import { NOT_SET } from "../verify/row";'],
    ["src/ops/deployment/x.ts", 'import type { EmulatorDifference } from "../emulator/differences";'],
    ["src/ops/verify/x.ts", 'import { discoverDeployment } from "../deployment/live-index";'],
    ["src/ops/publish/x.ts", 'import { servingDistribution } from "../deployment/serving-distribution";'],
    ["src/cli/x.ts", 'import { buildApp } from "../infra/app";'],
    ["__tests__/unit/x.test.ts", 'import { buildApp } from "../../src/infra/app";'],
  ])("allows, in %s, %s", (path, source) => {
    expect(problemsOf(path, source)).toEqual([]);
  });

  it("names a folder the map does not list, so a new folder gets a row before it lints", () => {
    expect(problemsOf("src/ops/unmapped/x.ts", "export const x = 1;")).toEqual([
      "src/ops/unmapped is not in the import map: add it to lint/import-map.cjs.",
    ]);
  });

  it("says what the importing home may import", () => {
    expect(problemsOf("src/config/x.ts", 'import { Terraform } from "../ops/terraform/runner";')).toEqual([
      "src/config may not import src/ops/terraform (it may import src/common; see the import map in lint/import-map.cjs).",
    ]);
  });
});
