// Shared by the rule-pack tests: build a stack, apply the pack, synthesize with validations (as
// `cdktf synth` does), and read what the pack found.
import { TerraformStack, Testing } from "cdktf";
import { parseSettings } from "../../../src/config/load";
import { SITE_RULES } from "../../../src/rules/catalog";
import { RuleReport } from "../../../src/rules/findings";
import { RulePack } from "../../../src/rules/pack";
import { SiteStorageStack } from "../../../src/infra/stacks/site-storage-stack";

/** What the pack says about a stack after synth: its report, and the validation error if synth failed. */
export interface PackRun {
  readonly report: RuleReport;
  readonly synthError?: string;
}

/** Applies the site's pack and synthesizes with validations (as `cdktf synth` does). */
export function runPack(stack: TerraformStack): PackRun {
  const pack = RulePack.applyTo(stack, SITE_RULES);
  try {
    Testing.synth(stack, true);
    return { report: pack.report(stack) };
  } catch (error) {
    return { report: pack.report(stack), synthError: (error as Error).message };
  }
}

/** The shipped stack with default settings, in a fresh app; `change` breaks one thing. */
export function site(change: (stack: SiteStorageStack) => void = () => undefined): PackRun {
  const stack = new SiteStorageStack(Testing.app(), "site", parseSettings({}));
  change(stack);
  return runPack(stack);
}

/** The result of one rule on one resource, with its detail. */
export function resultOf(
  report: RuleReport,
  ruleId: string,
  resourcePath: string,
): { result: string; detail?: string } {
  const found = report.evaluations.filter((e) => e.ruleId === ruleId && e.resourcePath === resourcePath);
  if (found.length !== 1) throw new Error(`expected one ${ruleId} result on ${resourcePath}, found ${found.length}`);
  return { result: found[0].result, detail: found[0].detail };
}

/** Asserts an error finding of `ruleId` on `path`: in the report and in the synth failure. */
export function expectError(run: PackRun, ruleId: string, path: string, detail: RegExp): void {
  expect(resultOf(run.report, ruleId, path)).toEqual({
    result: "non-compliant",
    detail: expect.stringMatching(detail),
  });
  expect(run.report.errors.map((e) => [e.ruleId, e.resourcePath])).toContainEqual([ruleId, path]);
  expect(run.synthError).toContain(`${ruleId} `);
  expect(run.synthError).toContain(path);
}

/** Asserts a warning of `ruleId` on `path`: reported, and synth still succeeds. */
export function expectWarning(run: PackRun, ruleId: string, path: string, detail: RegExp): void {
  expect(resultOf(run.report, ruleId, path)).toEqual({
    result: "non-compliant",
    detail: expect.stringMatching(detail),
  });
  expect(run.report.warnings.map((w) => [w.ruleId, w.resourcePath])).toEqual([[ruleId, path]]);
  expect(run.synthError).toBeUndefined();
}
