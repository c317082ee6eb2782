/**
 * IAM policy documents (key, bucket, trust and identity policies) as the rules read them.
 * Policies reach the rules as strings whose Terraform references are already resolved to
 * `${…}` interpolations (`${data.aws_caller_identity.x.account_id}`): the JSON stays valid and
 * the unresolved pieces are opaque text, which is all the checks need. A policy that is itself
 * an expression (`data.aws_iam_policy_document.x.json`, `jsonencode(…)`) cannot be read at synth.
 */

/** A principal block in the one shape the rules use: type → principals (`"*"` becomes `AWS: ["*"]`). */
export type Principals = Readonly<Record<string, readonly string[]>>;

/** One statement, every string-or-list field as a list. */
export interface PolicyStatement {
  readonly sid?: string;
  /** "Allow" or "Deny" (anything else is kept as written). */
  readonly effect: string;
  /** `Principal`, or `NotPrincipal` when `notPrincipal`; undefined in identity policies. */
  readonly principals?: Principals;
  readonly notPrincipal: boolean;
  /** `Action`, or `NotAction` when `notAction`. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** `Resource`, or `NotResource` when `notResource`; empty in trust policies. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  /** Operator → condition key → values (values as strings: `false` becomes "false"). */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** A policy the rules could read, or why they could not. */
export type ReadPolicy =
  | { readonly readable: true; readonly statements: readonly PolicyStatement[] }
  | { readonly readable: false; readonly why: string };

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function principalsOf(value: unknown): Principals {
  if (typeof value === "string") return { AWS: [value] };
  const principals: Record<string, string[]> = {};
  if (value !== null && typeof value === "object") {
    for (const [type, names] of Object.entries(value)) principals[type] = strings(names);
  }
  return principals;
}

function conditionsOf(value: unknown): Record<string, Record<string, string[]>> {
  const conditions: Record<string, Record<string, string[]>> = {};
  if (value === null || typeof value !== "object") return conditions;
  for (const [operator, keys] of Object.entries(value)) {
    conditions[operator] = {};
    if (keys !== null && typeof keys === "object") {
      for (const [key, values] of Object.entries(keys)) conditions[operator][key] = strings(values);
    }
  }
  return conditions;
}

function statementOf(raw: Record<string, unknown>): PolicyStatement {
  return {
    sid: typeof raw.Sid === "string" ? raw.Sid : undefined,
    effect: String(raw.Effect ?? ""),
    principals:
      raw.Principal !== undefined
        ? principalsOf(raw.Principal)
        : raw.NotPrincipal !== undefined
          ? principalsOf(raw.NotPrincipal)
          : undefined,
    notPrincipal: raw.NotPrincipal !== undefined,
    actions: strings(raw.Action ?? raw.NotAction),
    notAction: raw.NotAction !== undefined,
    resources: strings(raw.Resource ?? raw.NotResource),
    notResource: raw.NotResource !== undefined,
    conditions: conditionsOf(raw.Condition),
  };
}

/**
 * Reads a policy string (already resolved to Terraform syntax). `Statement` may be one object
 * or a list, as IAM allows.
 */
export function readPolicy(text: string | undefined): ReadPolicy {
  if (text === undefined) return { readable: false, why: "no policy is set" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { readable: false, why: `the policy is not a JSON literal at synth (${abbreviate(text)})` };
  }
  if (raw === null || typeof raw !== "object" || !("Statement" in raw)) {
    return { readable: false, why: "the policy has no Statement" };
  }
  const list = (raw as { Statement: unknown }).Statement;
  const statements = (Array.isArray(list) ? list : [list])
    .filter((s): s is Record<string, unknown> => s !== null && typeof s === "object")
    .map(statementOf);
  return { readable: true, statements };
}

/** True when the principals include everyone: `"*"` or `{ "AWS": "*" }`. */
export function includesEveryone(principals: Principals | undefined): boolean {
  return (principals?.AWS ?? []).includes("*");
}

/** The service principals named (`{ "Service": [...] }`). */
export function servicePrincipals(principals: Principals | undefined): readonly string[] {
  return principals?.Service ?? [];
}

/** True when a statement has at least one condition. */
export function hasCondition(statement: PolicyStatement): boolean {
  return Object.values(statement.conditions).some((keys) => Object.keys(keys).length > 0);
}

/** The condition keys a statement tests, lower-cased (IAM condition keys are case-insensitive). */
export function conditionKeys(statement: PolicyStatement): string[] {
  return Object.values(statement.conditions).flatMap((keys) => Object.keys(keys).map((k) => k.toLowerCase()));
}

/** A statement's name in a detail: its Sid, else its position. */
export function statementName(statement: PolicyStatement, index: number): string {
  return statement.sid !== undefined && statement.sid !== "" ? `"${statement.sid}"` : `#${index + 1}`;
}

/**
 * IAM's wildcard match (`*` any run, `?` one character), case-insensitive as IAM matches
 * action names.
 */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(value);
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
