/**
 * The one model of IAM policy documents (key, bucket, trust and identity policies): parsed from
 * whatever form they come in and normalized by meaning, so two documents that mean the same
 * normalize to the same value. The rule pack, the verifier and the tests all read policies here.
 *
 * Normalization, each an equivalence IAM documents
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):
 * - a document may be an object, JSON text, or URL-encoded JSON text (IAM's `GetRole` and
 *   `GetRolePolicy` return documents URL-encoded);
 * - `Statement` may be one object or a list; statements are ordered by `Sid`, then content;
 * - `Action`, `NotAction`, `Resource`, `NotResource` and each principal type: a string or a
 *   list, order and duplicates irrelevant;
 * - `"Principal": "*"` is `{ "AWS": ["*"] }` (the one string IAM accepts as a principal:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous);
 * - condition values: a string, number, boolean or list of them, order and duplicates
 *   irrelevant, `false` and `"false"` equal (IAM compares condition values as strings).
 * Case is kept: S3, KMS and IAM return documents with the case they were given. Members the
 * grammar does not name are kept as they are, so they still take part in every comparison.
 */
import { isRecord } from "./json";

/** Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) → principals, sorted. */
export type Principals = Readonly<Record<string, readonly string[]>>;

/** Condition operator → condition key → values, each level sorted. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One statement in normal form, with IAM's member names. */
export interface NormalStatement {
  /** The statement id; "" when the statement has none. */
  readonly Sid: string;
  readonly Effect: string;
  readonly Principal?: Principals;
  readonly NotPrincipal?: Principals;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: Conditions;
  /** Any member the grammar does not name, kept as is. */
  readonly [other: string]: unknown;
}

/** A whole document in normal form. */
export interface NormalPolicy {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly NormalStatement[];
}

/** The text is not a policy document. */
export class PolicyParseError extends Error {
  constructor(why: string) {
    super(why);
    this.name = "PolicyParseError";
  }
}

/** A policy that could be read, or why it could not (a Terraform expression, not JSON). */
export type ReadPolicy =
  { readonly readable: true; readonly policy: NormalPolicy } | { readonly readable: false; readonly why: string };

const LIST_MEMBERS = ["Action", "NotAction", "Resource", "NotResource"] as const;
const GRAMMAR_MEMBERS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", ...LIST_MEMBERS, "Condition"]);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A string-or-list value as a sorted list without duplicates; numbers and booleans as text. */
function stringSet(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.filter((v) => v !== undefined && v !== null).map(String))].sort(byText);
}

function sortedEntries<T>(record: Record<string, unknown>, map: (value: unknown) => T): [string, T][] {
  return Object.keys(record)
    .sort(byText)
    .map((key) => [key, map(record[key])]);
}

function principalsOf(value: unknown): Principals {
  // "*" is the one string IAM accepts: everyone, as { "AWS": "*" }.
  if (!isRecord(value)) return { AWS: stringSet(value) };
  return Object.fromEntries(sortedEntries(value, stringSet));
}

function conditionsOf(value: unknown): Conditions {
  if (!isRecord(value)) throw new PolicyParseError(`Condition must be an object, not ${JSON.stringify(value)}`);
  return Object.fromEntries(
    sortedEntries(value, (keys) => {
      if (!isRecord(keys))
        throw new PolicyParseError(`a condition operator must map keys to values, not ${JSON.stringify(keys)}`);
      return Object.fromEntries(sortedEntries(keys, stringSet));
    }),
  );
}

/** One statement in normal form. */
export function normalizeStatement(raw: Record<string, unknown>): NormalStatement {
  const out: Record<string, unknown> = {
    Sid: typeof raw.Sid === "string" ? raw.Sid : "",
    Effect: String(raw.Effect ?? ""),
  };
  for (const key of Object.keys(raw).sort(byText)) {
    const value = raw[key];
    if (value === undefined || key === "Sid" || key === "Effect") continue;
    if (key === "Principal" || key === "NotPrincipal") out[key] = principalsOf(value);
    else if (key === "Condition") out[key] = conditionsOf(value);
    else if ((LIST_MEMBERS as readonly string[]).includes(key)) out[key] = stringSet(value);
    else out[key] = value;
  }
  return out as NormalStatement;
}

/** A stable text of a value: keys in order. Two normal forms are equal exactly when their texts are. */
export function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort(byText);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The document as an object: given as one, as JSON text, or as URL-encoded JSON text. */
function documentOf(document: unknown): Record<string, unknown> {
  let value = document;
  if (typeof value === "string") {
    const text = value.trim().startsWith("%") ? decodeURIComponent(value) : value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new PolicyParseError(`the policy is not valid JSON (${(error as Error).message}): ${text.slice(0, 120)}`);
    }
  }
  if (!isRecord(value))
    throw new PolicyParseError(`the policy is not a JSON object: ${JSON.stringify(value)?.slice(0, 120)}`);
  return value;
}

/** Parses and normalizes a document (object, JSON text or URL-encoded JSON text); throws PolicyParseError. */
export function normalizePolicy(document: unknown): NormalPolicy {
  const parsed = documentOf(document);
  const raw = parsed.Statement;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const statements = list.map((statement) => {
    if (!isRecord(statement)) throw new PolicyParseError(`a statement is not an object: ${JSON.stringify(statement)}`);
    return normalizeStatement(statement);
  });
  statements.sort((a, b) => byText(a.Sid, b.Sid) || byText(canonicalText(a), canonicalText(b)));
  return {
    ...(parsed.Version === undefined ? {} : { Version: String(parsed.Version) }),
    ...(parsed.Id === undefined ? {} : { Id: String(parsed.Id) }),
    Statement: statements,
  };
}

/**
 * Reads a policy given as text (a synthesized `policy` argument, its references already
 * resolved to `${…}` interpolations, which keep the JSON valid): the normal form, or why it
 * cannot be read at synth (no policy, a Terraform expression, not a policy).
 */
export function readPolicy(text: string | undefined): ReadPolicy {
  if (text === undefined) return { readable: false, why: "no policy is set" };
  if (!/^\s*[{%]/.test(text)) {
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    return { readable: false, why: `the policy is not a JSON literal at synth (${shown})` };
  }
  try {
    const policy = normalizePolicy(text);
    if (!("Statement" in documentOf(text))) return { readable: false, why: "the policy has no Statement" };
    return { readable: true, policy };
  } catch (error) {
    return { readable: false, why: (error as Error).message };
  }
}

/** Whether two documents mean the same (see the normalization above). */
export function samePolicy(a: unknown, b: unknown): boolean {
  return canonicalText(normalizePolicy(a)) === canonicalText(normalizePolicy(b));
}

/** The members of a statement the grammar does not name (empty for every well-formed statement). */
export function unknownMembers(statement: NormalStatement): string[] {
  return Object.keys(statement).filter((key) => !GRAMMAR_MEMBERS.has(key));
}

/** True when the statement's principals include everyone (`"*"` or `{ "AWS": "*" }`). */
export function includesEveryone(statement: NormalStatement): boolean {
  return (statement.Principal?.AWS ?? []).includes("*");
}

/** The service principals a statement names in `Principal`. */
export function servicePrincipals(statement: NormalStatement): readonly string[] {
  return statement.Principal?.Service ?? [];
}

/** True when a statement has at least one condition. */
export function hasCondition(statement: NormalStatement): boolean {
  return Object.values(statement.Condition ?? {}).some((keys) => Object.keys(keys).length > 0);
}

/** The condition keys a statement tests, lower-cased (IAM condition keys are case-insensitive). */
export function conditionKeys(statement: NormalStatement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys).map((k) => k.toLowerCase()));
}

/** A statement's name in a message: its Sid quoted, else its position (1-based). */
export function statementName(statement: NormalStatement, index: number): string {
  return statement.Sid !== "" ? `"${statement.Sid}"` : `#${index + 1}`;
}

/** IAM's wildcard match (`*` any run, `?` one character), case-insensitive as IAM matches action names. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(value);
}
