/**
 * The rule pack: an Aspect that applies a rule catalog (`catalog.ts` holds the site's) to the
 * resources of a stack, and fails synth on error findings. It knows no rule.
 *
 * How it runs:
 * - `RulePack.applyTo(appOrStack, SITE_RULES)` adds the pack to each stack (cdktf invokes Aspects
 *   per stack, from the stack down: an Aspect added to the App itself is never invoked).
 * - At synth, cdktf visits every node; on the stack node the pack adds a validation
 *   (`node.addValidation`). Validations run after all Aspects and before any file of the stack
 *   is written; the pack's validation evaluates the rules then, so relationships (a bucket and
 *   its versioning, policy, logging…) are complete. Any error finding or bad suppression fails
 *   synth with one line per problem naming the rule, the resource's construct path and the fix.
 *   `Testing.synth(stack, true)` runs it too.
 * - `report(stack)` evaluates every rule on every resource of the stack as it is at that moment
 *   (what `npm run check` prints). It never writes anything; printing is the caller's job
 *   (`enforce.ts`, `src/cli/check.ts`).
 *
 * Suppressions (`suppressRules` in `suppressions.ts`) exempt resources at or below a construct
 * from one rule, with a reason. A suppression that names no rule of the catalog, or matches no
 * non-compliant outcome, is an error: it must not outlive the problem it excuses.
 */
import { Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { evaluateStack } from "./evaluation";
import { RuleReport, failsSynth } from "./findings";
import { formatFinding, formatSuppressionProblem } from "./messages";
import { RuleDefinition } from "./rule";
import { pathOf } from "./suppressions";

/** The rule pack Aspect. One instance may serve several stacks. */
export class RulePack implements IAspect {
  private readonly validated = new Set<TerraformStack>();
  private readonly appliedTo: TerraformStack[] = [];

  /** @param rules the catalog applied, in report order */
  constructor(readonly rules: readonly RuleDefinition[]) {}

  /**
   * Adds a new pack of `rules` to `scope` when it is a stack, else to every stack below it (an
   * App). Returns the pack, to read its reports.
   */
  static applyTo(scope: IConstruct, rules: readonly RuleDefinition[]): RulePack {
    const pack = new RulePack(rules);
    const stacks = TerraformStack.isStack(scope) ? [scope] : scope.node.findAll().filter(TerraformStack.isStack);
    if (stacks.length === 0) throw new Error(`RulePack.applyTo: no TerraformStack at or below ${pathOf(scope)}`);
    for (const stack of stacks) {
      Aspects.of(stack).add(pack);
      pack.appliedTo.push(stack);
    }
    return pack;
  }

  /** The stacks `applyTo` added the pack to, in tree order. */
  get stacks(): readonly TerraformStack[] {
    return this.appliedTo;
  }

  /** Aspect entry point: on a stack, adds the pack's validation (once, however often synth runs). */
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.validated.has(node)) return;
    this.validated.add(node);
    node.node.addValidation({
      validate: () => {
        const report = this.report(node);
        if (!failsSynth(report)) return [];
        return [...report.errors.map(formatFinding), ...report.suppressionProblems.map(formatSuppressionProblem)];
      },
    });
  }

  /** Every rule's result on every resource of `stack`, evaluated now; before or after synth alike. */
  report(stack: TerraformStack): RuleReport {
    return evaluateStack(stack, this.rules);
  }
}
