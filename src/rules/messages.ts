/**
 * The wording of the rule pack: failure lines, suppression errors, and the rule a suppression's
 * reason must follow. One module, so messages stay consistent and tests can match them.
 */
import { Finding, SuppressionProblem } from "./findings";

/**
 * A suppression's reason must be a real sentence: at least this many characters (after
 * trimming) and this many words of two or more letters. "n/a", "TODO" or "false positive" are
 * not reasons; "The replica is the replication destination, so it is never replicated again" is.
 */
export const REASON_MINIMUM = { characters: 20, words: 4 } as const;

/** The reason rule, as a sentence fragment for messages. */
const REASON_RULE = `must be a sentence of at least ${REASON_MINIMUM.characters} characters and ${REASON_MINIMUM.words} words saying why the rule does not apply here`;

/** What is wrong with a suppression's reason, or undefined when it is a real sentence. */
export function reasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== "string" || reason.trim() === "") return `has no reason; the reason ${REASON_RULE}`;
  const trimmed = reason.trim();
  const words = trimmed.match(/\p{L}{2,}/gu) ?? [];
  if (trimmed.length < REASON_MINIMUM.characters || words.length < REASON_MINIMUM.words) {
    return `has the reason ${JSON.stringify(reason)} (${trimmed.length} characters, ${words.length} words); the reason ${REASON_RULE}`;
  }
  return undefined;
}

/** One bad suppression, as a line. */
export interface SuppressionInputProblem {
  readonly id: unknown;
  readonly problem: string;
}

/** Thrown by `suppressRules` when a suppression is malformed; lists every problem at once. */
export class SuppressionError extends Error {
  readonly path: string;
  readonly problems: readonly SuppressionInputProblem[];

  constructor(path: string, problems: readonly SuppressionInputProblem[]) {
    const lines = problems.map(
      (p) => `  - ${typeof p.id === "string" && p.id !== "" ? p.id : "(no id)"}: ${p.problem}`,
    );
    super(`Invalid rule suppression(s) on ${path}, ${problems.length} problem(s):\n${lines.join("\n")}`);
    this.name = "SuppressionError";
    this.path = path;
    this.problems = problems;
  }
}

/**
 * One finding as a line: rule ID, what is wrong, the resource (construct path and Terraform
 * address), the detail, and the fix.
 * `SITE-S3-001 S3 bucket versioning is not enabled: site-storage/primary-bucket/bucket (aws_s3_bucket.x) — … Fix: …`
 */
export function formatFinding(finding: Finding): string {
  const detail = finding.detail === undefined ? "" : ` — ${finding.detail}`;
  return `${finding.ruleId} ${finding.message}: ${finding.resourcePath} (${finding.address})${detail}. Fix: ${finding.fix}`;
}

/** A suppression problem as a line. */
export function formatSuppressionProblem(problem: SuppressionProblem): string {
  return `suppression of ${problem.id} on ${problem.path} ${problem.problem}`;
}

/** "matches no finding": the suppression must go, or its ID is wrong. */
export function unmatchedSuppression(): string {
  return "matches no finding at or below that construct: remove it (a suppression must not outlive the problem it excuses)";
}

/** "names no rule": an ID the pack does not have. */
export function unknownRule(knownIds: readonly string[]): string {
  return `names no rule of the pack (known: ${knownIds.join(", ")})`;
}
