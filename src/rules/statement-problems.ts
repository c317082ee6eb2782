/**
 * The walk the statement rules share: every statement of every policy of a subject, checked one
 * at a time, each problem named after its statement and its policy. A policy that cannot be
 * read at synth cannot be shown safe, so it is a problem too.
 */
import { NormalStatement, ReadPolicy, statementName } from "../common/policy";

/** A policy, and where it is set (an argument or a construct path) as a message names it. */
export interface PlacedPolicy {
  readonly where: string;
  readonly policy: ReadPolicy;
}

/**
 * Every problem, in order: `<where>: cannot verify: <why>` for a policy that cannot be read,
 * `statement <name> of <where> <problem>` for each statement `check` finds a problem with
 * (`check` answers undefined for a statement without one).
 */
export function statementProblems(
  policies: readonly PlacedPolicy[],
  check: (statement: NormalStatement) => string | undefined,
): string[] {
  return policies.flatMap(({ where, policy }) => {
    if (!policy.readable) return [`${where}: cannot verify: ${policy.why}`];
    return policy.policy.Statement.flatMap((s, i) => {
      const problem = check(s);
      return problem === undefined ? [] : [`statement ${statementName(s, i)} of ${where} ${problem}`];
    });
  });
}
