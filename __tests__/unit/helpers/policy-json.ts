/**
 * Reads the policy documents the stack renders into `policy` / `assume_role_policy` strings
 * through the one policy model (`src/common/policy.ts`), so tests compare them by meaning:
 * statements ordered by Sid, IAM member names, every string-or-list value a sorted list. Write
 * the expected statement as IAM allows and pass it through `normalizeStatement`.
 */
import { NormalPolicy, NormalStatement, normalizePolicy } from "../../../src/common/policy";

/** Parses a synthesized policy string into the model; fails loudly if it is not a policy document. */
export function parsePolicy(text: unknown): NormalPolicy {
  if (typeof text !== "string") throw new Error(`expected a policy string, got ${JSON.stringify(text)}`);
  const policy = normalizePolicy(text);
  if (policy.Version !== "2012-10-17") throw new Error(`not a 2012-10-17 policy document: ${text}`);
  return policy;
}

/** The statement ids of a document, in the model's order (by Sid). */
export function sidsOf(policy: NormalPolicy): string[] {
  return policy.Statement.map((s) => s.Sid);
}

/** The one statement with this Sid; fails naming the Sids present when there is none. */
export function statementOf(policy: NormalPolicy, sid: string): NormalStatement {
  const found = policy.Statement.filter((s) => s.Sid === sid);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one statement "${sid}", found ${found.length} among ${JSON.stringify(sidsOf(policy))}`,
    );
  }
  return found[0];
}
