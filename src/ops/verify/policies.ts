import { GetRoleCommand, GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { BucketTarget, VerifyContext } from "./context";
import { DeclaredResource } from "./declaration";
import { VerifyInputError } from "./errors";
import { CallResult, callAws } from "./aws-call";
import { compact, checkRow } from "./check-row";

/**
 * Policy documents compared by meaning, not by text. Normalisation:
 * - a document may be a JSON string or URL-encoded JSON (IAM returns documents URL-encoded);
 * - `Statement` as one object or a list; statements are ordered by `Sid`;
 * - `Action`, `NotAction`, `Resource`, `NotResource` and each principal type: a string or a
 *   list, order and duplicates irrelevant;
 * - `"Principal": "*"` is `{ "AWS": "*" }` (IAM documents them as equivalent);
 * - condition values: a string or a list, order irrelevant, `false` and `"false"` equal.
 * Case is kept: S3, KMS and IAM read documents back with the case they were given.
 */

/** A statement in normal form. */
export interface NormalStatement {
  readonly Sid: string;
  readonly Effect: string;
  readonly Principal?: Record<string, string[]>;
  readonly NotPrincipal?: Record<string, string[]>;
  readonly Action?: string[];
  readonly NotAction?: string[];
  readonly Resource?: string[];
  readonly NotResource?: string[];
  readonly Condition?: Record<string, Record<string, string[]>>;
  /** Any other member, kept as is so it still takes part in the comparison. */
  readonly [other: string]: unknown;
}

/** A policy document in normal form. */
export interface NormalPolicy {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: NormalStatement[];
}

/** Parses a policy given as an object, JSON text or URL-encoded JSON text. */
export function parsePolicy(document: unknown): Record<string, unknown> {
  let value = document;
  if (typeof value === "string") {
    const text = value.trim().startsWith("%") ? decodeURIComponent(value) : value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new VerifyInputError(`policy is not valid JSON (${(error as Error).message}): ${text.slice(0, 120)}`);
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new VerifyInputError(`policy is not a JSON object: ${JSON.stringify(value)?.slice(0, 120)}`);
  }
  return value as Record<string, unknown>;
}

function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.filter((v) => v !== undefined && v !== null).map(String))].sort();
}

function principalOf(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined) return undefined;
  if (value === "*") return { AWS: ["*"] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { "?": stringList(value) };
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, ids]) => [type, stringList(ids)]),
  );
}

function conditionOf(value: unknown): Record<string, Record<string, string[]>> | undefined {
  if (value === undefined || value === null || typeof value !== "object") return undefined;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operator, keys]) => [
        operator,
        Object.fromEntries(
          Object.entries((keys ?? {}) as Record<string, unknown>)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, values]) => [key, stringList(values)]),
        ),
      ]),
  );
}

const LIST_MEMBERS = ["Action", "NotAction", "Resource", "NotResource"];

/** One statement in normal form. */
function normalizeStatement(statement: Record<string, unknown>): NormalStatement {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(statement)) {
    if (value === undefined) continue;
    if (key === "Principal" || key === "NotPrincipal") out[key] = principalOf(value);
    else if (key === "Condition") out[key] = conditionOf(value);
    else if (LIST_MEMBERS.includes(key)) out[key] = stringList(value);
    else out[key] = value;
  }
  out.Sid = typeof statement.Sid === "string" ? statement.Sid : "";
  out.Effect = String(statement.Effect ?? "");
  return out as NormalStatement;
}

/** A stable text of a normal statement, for equality and ordering. */
function statementKey(statement: NormalStatement): string {
  return compact(statement);
}

/** A whole document in normal form, statements ordered by Sid (then by content). */
export function normalizePolicy(document: unknown): NormalPolicy {
  const parsed = parsePolicy(document);
  const raw = parsed.Statement;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
  const statements = list
    .map(normalizeStatement)
    .sort((a, b) => a.Sid.localeCompare(b.Sid) || statementKey(a).localeCompare(statementKey(b)));
  const out: { Version?: string; Id?: string; Statement: NormalStatement[] } = { Statement: statements };
  if (parsed.Version !== undefined) out.Version = String(parsed.Version);
  if (parsed.Id !== undefined) out.Id = String(parsed.Id);
  return out;
}

function principalText(principal: Record<string, string[]>): string {
  return Object.entries(principal)
    .map(([type, ids]) => `${type}:${ids.join("|")}`)
    .join(",");
}

/**
 * A statement in one line: `Deny AWS:* s3:* on [a, b] if Bool aws:SecureTransport=false`.
 * For the table only: equality is decided on the normal form.
 */
export function describeStatement(statement: NormalStatement): string {
  const parts: string[] = [statement.Effect];
  if (statement.Principal) parts.push(principalText(statement.Principal));
  if (statement.NotPrincipal) parts.push(`not ${principalText(statement.NotPrincipal)}`);
  if (statement.Action) parts.push(statement.Action.join(","));
  if (statement.NotAction) parts.push(`not ${statement.NotAction.join(",")}`);
  const resources = statement.Resource ?? statement.NotResource;
  if (resources) {
    const list = resources.length === 1 ? resources[0] : `[${resources.join(", ")}]`;
    parts.push(`on ${statement.NotResource ? "not " : ""}${list}`);
  }
  if (statement.Condition) {
    const conditions = Object.entries(statement.Condition).flatMap(([operator, keys]) =>
      Object.entries(keys).map(
        ([key, values]) => `${operator} ${key}=${values.length === 1 ? values[0] : `[${values.join(", ")}]`}`,
      ),
    );
    parts.push(`if ${conditions.join(" and ")}`);
  }
  const known = new Set([
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
  ]);
  const others = Object.entries(statement).filter(([key]) => !known.has(key));
  if (others.length > 0) parts.push(compact(Object.fromEntries(others)));
  return parts.join(" ");
}

/** One line of a policy comparison: a statement (by Sid) or the document header. */
export interface StatementComparison {
  /** The statement's Sid, `(statement n)` when it has none, or `(document)`. */
  readonly sid: string;
  readonly expected: string;
  readonly found: string;
  readonly pass: boolean;
}

/** Shown for a statement present on one side only. */
export const MISSING_STATEMENT = "(no such statement)";
export const UNDECLARED_STATEMENT = "(not declared)";

/**
 * Compares two documents statement by statement, pairing them by Sid (statements without one
 * by identical content). Every declared statement gets a line; so does every live statement
 * nobody declared, and the document header (Version, Id) when it differs.
 */
export function comparePolicies(declared: NormalPolicy, live: NormalPolicy): StatementComparison[] {
  const lines: StatementComparison[] = [];
  const remaining = [...live.Statement];
  const take = (predicate: (s: NormalStatement) => boolean): NormalStatement | undefined => {
    const at = remaining.findIndex(predicate);
    return at < 0 ? undefined : remaining.splice(at, 1)[0];
  };
  declared.Statement.forEach((statement, i) => {
    const match =
      statement.Sid !== ""
        ? take((candidate) => candidate.Sid === statement.Sid)
        : take((candidate) => candidate.Sid === "" && statementKey(candidate) === statementKey(statement));
    lines.push({
      sid: statement.Sid || `(statement ${i + 1})`,
      expected: describeStatement(statement),
      found: match === undefined ? MISSING_STATEMENT : describeStatement(match),
      pass: match !== undefined && statementKey(match) === statementKey(statement),
    });
  });
  for (const extra of remaining) {
    lines.push({
      sid: extra.Sid || "(statement without Sid)",
      expected: UNDECLARED_STATEMENT,
      found: describeStatement(extra),
      pass: false,
    });
  }
  const header = (p: NormalPolicy) => compact({ Version: p.Version, Id: p.Id });
  if (header(declared) !== header(live)) {
    lines.push({ sid: "(document)", expected: header(declared), found: header(live), pass: false });
  }
  return lines;
}

/**
 * Rows comparing a declared policy (or none) with a live one (or the error reading it).
 * `absentCodes` are the error codes that mean "no policy".
 */
export function policyRows(
  check: string,
  resource: string,
  declared: NormalPolicy | undefined,
  live: CallResult<string | undefined>,
  absentCodes: readonly string[],
): CheckRow[] {
  const noPolicy = (!live.ok && absentCodes.includes(live.code)) || (live.ok && !live.value);
  if (declared === undefined) {
    return [checkRow(check, resource, "(no policy)", noPolicy ? "(no policy)" : live.ok ? "a policy" : live.error)];
  }
  if (!live.ok || !live.value) {
    const found = noPolicy ? "(no policy)" : live.ok ? "(empty)" : live.error;
    return declared.Statement.map((s, i) =>
      checkRow(`${check}: ${s.Sid || `(statement ${i + 1})`}`, resource, describeStatement(s), found, false),
    );
  }
  let normal: NormalPolicy;
  try {
    normal = normalizePolicy(live.value);
  } catch (error) {
    return [checkRow(check, resource, "a JSON policy document", (error as Error).message, false)];
  }
  return comparePolicies(declared, normal).map((line) =>
    checkRow(`${check}: ${line.sid}`, resource, line.expected, line.found, line.pass),
  );
}

/** The bucket's policy, as declared (aws_s3_bucket_policy) and as S3 returns it. */
export async function checkBucketPolicy(ctx: VerifyContext, bucket: BucketTarget): Promise<CheckRow[]> {
  const declaredResource = ctx.declaration.oneForBucket("aws_s3_bucket_policy", bucket.name);
  const declared = declaredResource ? normalizePolicy(ctx.declaration.resolved(declaredResource, "policy")) : undefined;
  const live = await callAws(
    async () => (await ctx.clients.s3(bucket.region).send(new GetBucketPolicyCommand({ Bucket: bucket.name }))).Policy,
  );
  return policyRows("bucket policy", bucket.name, declared, live, ["NoSuchBucketPolicy"]);
}

/**
 * The IAM roles the stack declares (the replication role): the trust policy and each inline
 * policy (aws_iam_role_policy) as declared and as IAM returns them.
 */
export async function checkRolePolicies(ctx: VerifyContext): Promise<CheckRow[]> {
  const { declaration } = ctx;
  const perRole = declaration.resources("aws_iam_role").map(async (role: DeclaredResource) => {
    const applied = declaration.applied(role);
    const roleName = String(applied.values.name);
    const iam = ctx.clients.iam(declaration.regionOf(role));
    const rows: CheckRow[] = [];
    const trust = await callAws(
      async () => (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.AssumeRolePolicyDocument,
    );
    rows.push(
      ...policyRows(
        "role trust policy",
        roleName,
        normalizePolicy(declaration.resolved(role, "assume_role_policy")),
        trust,
        ["NoSuchEntity", "NoSuchEntityException"],
      ),
    );
    const inline = declaration
      .resources("aws_iam_role_policy")
      .filter((policy) =>
        [roleName, String(applied.values.id)].includes(declaration.resolvedString(policy, "role") ?? ""),
      );
    for (const policy of inline) {
      const policyName = declaration.resolvedString(policy, "name") ?? String(declaration.applied(policy).values.name);
      const live = await callAws(
        async () =>
          (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))).PolicyDocument,
      );
      rows.push(
        ...policyRows(
          `role policy ${policyName}`,
          roleName,
          normalizePolicy(declaration.resolved(policy, "policy")),
          live,
          ["NoSuchEntity", "NoSuchEntityException"],
        ),
      );
    }
    return rows;
  });
  return (await Promise.all(perRole)).flat();
}
