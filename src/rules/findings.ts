/**
 * What the pack reports: every rule's result on every resource it judges, the findings among
 * them (non-compliant and not suppressed) and the suppressions that are themselves wrong.
 * Plain data, so the CLI can print it as a table or JSON and tests can assert on it.
 */
import { Compliance } from "./outcome";
import { Level } from "./rule";

/**
 * The result of one evaluation: the rule's compliance on the resource, with a suppressed
 * non-compliant outcome told apart.
 */
export type Result = Compliance | "suppressed";

/** One evaluation: one rule applied to one resource. */
export interface RuleEvaluation {
  /** The rule's stable ID, e.g. `SITE-S3-001`. */
  readonly ruleId: string;
  /** The rule's name: its file's name in `src/rules/checks/`, e.g. `s3-bucket-versioning-enabled`. */
  readonly rule: string;
  readonly level: Level;
  /** The resource's construct path, e.g. `site-storage/primary-bucket/bucket`. */
  readonly resourcePath: string;
  /** Its Terraform address, e.g. `aws_s3_bucket.primary-bucket_D87EC2E7` (what checkov reports). */
  readonly address: string;
  readonly result: Result;
  readonly detail?: string;
  /** The suppression that turned a non-compliant result into `suppressed`. */
  readonly suppression?: { readonly path: string; readonly reason: string };
  readonly checkov: readonly string[];
  readonly securityHub: readonly string[];
}

/** A non-compliant, unsuppressed result, with the rule's wording. */
export interface Finding extends RuleEvaluation {
  /** What is wrong, as one sentence fragment: "S3 bucket versioning is not enabled". */
  readonly message: string;
  readonly rationale: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A suppression that is an error: it names no rule of the pack, or matches no finding. */
export interface SuppressionProblem {
  /** The construct path the suppression is on. */
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  /** What is wrong with it. */
  readonly problem: string;
}

/** Everything the pack found in one stack. */
export interface RuleReport {
  /** The stack's construct path (its name). */
  readonly stack: string;
  /** Every rule's result on every resource it judges, in rule order then resource path. */
  readonly evaluations: readonly RuleEvaluation[];
  /** Error-level findings and suppression problems fail synth. */
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly suppressionProblems: readonly SuppressionProblem[];
}

/** True when the report must fail synth. */
export function failsSynth(report: RuleReport): boolean {
  return report.errors.length > 0 || report.suppressionProblems.length > 0;
}
