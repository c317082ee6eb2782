/**
 * The table form of the evaluator tests: a row is one request, the policies that decide it and
 * the decision AWS must make. `describeRows` runs every row as its own test; `itLetsInOnceWeakened`
 * shows a refused row let in once its statement loses what guards it, so a table can fail.
 */
import { ACCOUNT } from "./deployed-policies";
import { Decision, IamRequest, Policy, PolicySet, decide } from "./iam-evaluator";

/** One request and the decision AWS must make for it. */
export interface Row {
  /** The test's name: a sentence that says what is allowed or refused. */
  readonly about: string;
  readonly request: IamRequest;
  readonly policies: PolicySet;
  readonly expected: Decision;
}

/** A request context: only the keys AWS sends for the request. */
export type Context = Readonly<Record<string, string | string[]>>;

/** A change to one statement that removes what guards it. */
export type Weaken = (statement: Record<string, unknown>) => Record<string, unknown>;

/** A request of `principal` on a resource of `resourceAccount` (the deployment's account unless said). */
export function request(
  principal: string,
  action: string,
  resource: string,
  context: Context = {},
  resourceAccount = ACCOUNT,
): IamRequest {
  return { principal, action, resource, resourceAccount, context };
}

/** Runs every row of every table as its own test, under "<table>, as an IAM evaluator decides". */
export function describeRows(tables: readonly (readonly [table: string, rows: readonly Row[]])[]): void {
  describe.each(tables)("%s, as an IAM evaluator decides", (_table, rows) => {
    it.each(rows.map((row) => [row.about, row] as const))("%s", async (_about, row) => {
      expect(await decide(row.request, row.policies)).toBe(row.expected);
    });
  });
}

/** The row of `rows` named `about`; throws when there is none, so a renamed row cannot go untested. */
function findRow(rows: readonly Row[], about: string): Row {
  const row = rows.find((r) => r.about === about);
  if (row === undefined) throw new Error(`no row "${about}"`);
  return row;
}

/** The statement without its condition. */
function withoutCondition(statement: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...statement };
  delete copy.Condition;
  return copy;
}

const hasStatement = (policy: Policy | undefined, sid: string) => policy?.Statement.some((s) => s.Sid === sid) ?? false;

/** `policy` with the statement `sid` changed by `weaken`, its condition removed unless said. */
function weakened(policy: Policy, sid: string, weaken: Weaken = withoutCondition): Policy {
  if (!hasStatement(policy, sid)) throw new Error(`no statement ${sid}`);
  return { ...policy, Statement: policy.Statement.map((s) => (s.Sid === sid ? weaken(s) : s)) };
}

/** `policies` with the statement `sid` weakened wherever it stands; throws when no policy has it. */
function weakenedSet(policies: PolicySet, sid: string, weaken: Weaken = withoutCondition): PolicySet {
  const identity = policies.identity ?? [];
  if (!hasStatement(policies.resource, sid) && !identity.some((p) => hasStatement(p, sid))) {
    throw new Error(`no statement ${sid}`);
  }
  const change = (policy: Policy) => (hasStatement(policy, sid) ? weakened(policy, sid, weaken) : policy);
  return {
    ...policies,
    identity: policies.identity === undefined ? undefined : identity.map(change),
    resource: policies.resource === undefined ? undefined : change(policies.resource),
  };
}

/**
 * One test a case: the row named `about` of `rows` keeps its decision, and is allowed once the
 * statement `sid` is weakened. A guard the table relies on is shown to matter.
 */
export function itLetsInOnceWeakened(
  rows: readonly Row[],
  cases: readonly (readonly [about: string, sid: string, weaken?: Weaken])[],
): void {
  for (const [about, sid, weaken] of cases) {
    it(about, async () => {
      const row = findRow(rows, about);
      expect(await decide(row.request, row.policies)).toBe(row.expected);
      expect(await decide(row.request, weakenedSet(row.policies, sid, weaken))).toBe("Allowed");
    });
  }
}
