/**
 * What `main.ts` runs instead of a bare `app.synth()`: the pack's verdict first, for every stack
 * at once, so an error finding stops the app before any stack is written (cdktf writes stacks
 * one after another, so a validation failing in the second stack would leave the first written).
 * The pack's validation still runs inside synth, after every Aspect, as the gate for any other
 * way of synthesizing (`cdktf synth` of another app, `Testing.synth(stack, true)`).
 */
import { App } from "cdktf";
import { anyFails, formatErrors, formatWarnings } from "./rule-report";
import { RulePack } from "./pack";

/** Where messages go: `process.stderr` in the app, a buffer in tests. */
export interface MessageSink {
  write(text: string): unknown;
}

/**
 * Synthesizes `app` unless `pack` finds errors. On errors: writes every error finding and bad
 * suppression (rule, resource path, fix) and the warnings to `sink`, synthesizes nothing and
 * returns 1. Otherwise synthesizes, writes the warnings and returns 0.
 */
export function synthesizeWithRules(app: App, pack: RulePack, sink: MessageSink = process.stderr): 0 | 1 {
  const reports = pack.stacks.map((stack) => pack.report(stack));
  if (anyFails(reports)) {
    sink.write(
      `${formatErrors(reports)}${formatWarnings(reports)}Nothing was synthesized: fix the errors above, or suppress a rule with a reason (suppressRules).\n`,
    );
    return 1;
  }
  app.synth();
  const warnings = formatWarnings(reports);
  if (warnings !== "") sink.write(warnings);
  return 0;
}
