/**
 * What a policy *allows*, decided by an IAM policy evaluator (@cloud-copilot/iam-simulate, a
 * test tool only: AGPL-3.0, never shipped), not by reading statements back.
 *
 * One request at a time, with the context AWS sends. Two safety nets keep a row honest:
 * - an input the evaluator rejects (a misspelt action, a resource type the action does not
 *   take, a malformed policy) throws, with the evaluator's errors;
 * - a context key the evaluator drops (it validates keys per action) throws too: a dropped key
 *   would make a condition fail or pass silently.
 *
 * A known limit of iam-simulate 0.1.x: it matches the variable part of a condition key only
 * after a "/" (`aws:PrincipalTag/Team`), so it drops keys whose variable part follows a ":"
 * (`kms:EncryptionContext:aws:s3:arn`), and it drops the `sub` and `aud` claims of GitHub's
 * OIDC tokens for `sts:AssumeRoleWithWebIdentity`. Those keys are renamed, in the policy and
 * in the request alike, to a stand-in the evaluator reads (`aws:RequestTag/<original key>`):
 * the condition keeps its operator and values and is evaluated, never dropped. The stand-in
 * is visible in `STAND_IN_KEYS`, and a test shows the evaluator still drops each original key,
 * so the stand-in goes once the library learns them.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

/** IAM's three answers. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** A policy document, as JSON. */
export type Policy = { readonly Version: string; readonly Statement: readonly Record<string, unknown>[] };

/** One request, as AWS would evaluate it. */
export interface IamRequest {
  /** An IAM role or user ARN, a service principal (`s3.amazonaws.com`), or an OIDC provider ARN. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /** The request context: only keys AWS sends for this request. */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** The policies that decide a request. */
export interface PolicySet {
  /** Policies attached to the principal (a role's inline policies). */
  readonly identity?: readonly Policy[];
  /** The resource's policy: a key, bucket or trust policy. */
  readonly resource?: Policy;
  /** The principal's permissions boundary. */
  readonly boundary?: Policy;
}

/** Condition keys iam-simulate 0.1.x drops from a request, each matched case-insensitively. */
export const STAND_IN_KEYS: readonly RegExp[] = [
  /^kms:EncryptionContext:.+$/i,
  /^token\.actions\.githubusercontent\.com:(sub|aud)$/i,
];

/** The name the evaluator reads for a key it would drop; other keys are unchanged. */
export function standIn(key: string): string {
  return STAND_IN_KEYS.some((pattern) => pattern.test(key)) ? `aws:RequestTag/${key}` : key;
}

function renameKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [standIn(key), value]));
}

/** The policy with every condition key the evaluator would drop renamed to its stand-in. */
export function withStandInKeys(policy: Policy): Policy {
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => {
      const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (condition === undefined) return statement;
      return {
        ...statement,
        Condition: Object.fromEntries(Object.entries(condition).map(([op, keys]) => [op, renameKeys(keys)])),
      };
    }),
  };
}

/** The evaluator's raw answer, for the tests of the harness itself. */
export async function simulate(request: IamRequest, policies: PolicySet, standIns = true) {
  const rename = (policy: Policy) => (standIns ? withStandInKeys(policy) : policy);
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: standIns ? renameKeys(request.context ?? {}) : { ...(request.context ?? {}) },
    },
    identityPolicies: (policies.identity ?? []).map((policy, i) => ({
      name: `identity-${i + 1}`,
      policy: rename(policy),
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policies.resource === undefined ? undefined : rename(policies.resource),
    permissionBoundaryPolicies:
      policies.boundary === undefined ? undefined : [{ name: "boundary", policy: rename(policies.boundary) }],
  };
  return runSimulation(simulation, {});
}

/** The decision AWS would make for `request` under `policies`. */
export async function decide(request: IamRequest, policies: PolicySet): Promise<Decision> {
  const response = await simulate(request, policies);
  if (response.resultType === "error") {
    throw new Error(
      `the evaluator rejected the request ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`,
    );
  }
  if (response.resultType !== "single") throw new Error(`expected one resource, got a ${response.resultType} result`);
  const dropped = response.result.ignoredContextKeys ?? [];
  if (dropped.length > 0) {
    throw new Error(
      `the evaluator dropped context keys ${dropped.join(", ")} of ${request.action}: add them to STAND_IN_KEYS or fix the key`,
    );
  }
  return response.overallResult as Decision;
}
