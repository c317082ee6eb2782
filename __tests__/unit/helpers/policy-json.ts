/**
 * Reads the policy documents the stack renders into `policy` / `assume_role_policy` strings back
 * into the typed shape the builders produce, so tests check them statement by statement.
 */
import type { PolicyDocument, Statement } from "../../../src/infra/policies/document";

/** Parses a synthesized policy string; fails loudly if it is not a policy document. */
export function parsePolicy(text: unknown): PolicyDocument {
  if (typeof text !== "string") throw new Error(`expected a policy string, got ${JSON.stringify(text)}`);
  const document = JSON.parse(text) as PolicyDocument;
  if (document.Version !== "2012-10-17" || !Array.isArray(document.Statement)) {
    throw new Error(`not a policy document: ${text}`);
  }
  return document;
}

/** The statement ids of a document, in order. */
export function sidsOf(document: PolicyDocument): string[] {
  return document.Statement.map((s) => s.Sid);
}

/** The one statement with this Sid; fails naming the Sids present when there is none. */
export function statementOf(document: PolicyDocument, sid: string): Statement {
  const found = document.Statement.filter((s) => s.Sid === sid);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one statement "${sid}", found ${found.length} among ${JSON.stringify(sidsOf(document))}`,
    );
  }
  return found[0];
}

/** A string-or-list IAM value as a list. */
export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when the principal is everyone (`"*"` or `{ "AWS": "*" }`). */
export function isEveryone(statement: Statement): boolean {
  const principal = statement.Principal;
  if (principal === "*") return true;
  return principal !== undefined && asList(principal.AWS).includes("*");
}

/** The service principals a statement names. */
export function servicesOf(statement: Statement): string[] {
  const principal = statement.Principal;
  return principal === undefined || principal === "*" ? [] : asList(principal.Service);
}
