/**
 * The one error type of configuration, and the wording of its messages. Every problem is
 * collected first and reported at once, so a user fixes a file in one round trip.
 */

/** One broken rule: which field, what it holds, what is allowed. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `lifecycle.noncurrentExpirationDays`. */
  readonly field: string;
  /** The offending value, echoed back (undefined when the field is missing). */
  readonly value: unknown;
  /** The rule, as a sentence fragment: "must be an integer from 7 to 30". */
  readonly rule: string;
}

/** Renders a problem as `field: value "x" — rule`. */
export function formatProblem(problem: ConfigProblem): string {
  const value = problem.value === undefined ? "" : ` (got ${JSON.stringify(problem.value)})`;
  return `${problem.field || "(config)"}${value}: ${problem.rule}`;
}

/** Thrown when the configuration is unusable; nothing has been synthesized yet. */
export class ConfigError extends Error {
  /** Every problem found, in field order. */
  readonly problems: readonly ConfigProblem[];
  /** Where the config came from, for the message (a file path or "defaults"). */
  readonly source: string;

  constructor(source: string, problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`Invalid site configuration (${source}), ${problems.length} problem(s):\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
    this.source = source;
  }
}
