/**
 * One check of the verifier, and how values are written in it. A leaf: every topic of the
 * verifier, the local run and the reports import it, and it imports nothing.
 */

/** One check: what was compared, on what, expected vs found. */
export interface CheckRow {
  readonly check: string;
  readonly resource: string;
  readonly expected: string;
  readonly found: string;
  readonly pass: boolean;
}

/** How an absent setting is shown, on either side of a row. */
export const NOT_SET = "(not set)";

/** A row; `pass` defaults to "found is exactly what was expected". */
export function checkRow(
  check: string,
  resource: string,
  expected: string,
  found: string,
  pass = expected === found,
): CheckRow {
  return { check, resource, expected, found, pass };
}

// Unquoted: no separators, no leading or trailing space ("all objects" stays readable).
const PLAIN = /^[^\s,=[\]{}"](?:[^,=[\]{}"]*[^\s,=[\]{}"])?$/;

/**
 * A short, stable rendering for the table: keys sorted, `{Key=value, …}`, `[a, b]`, strings
 * unquoted when unambiguous. Two values render the same exactly when they are deeply equal.
 */
export function compact(value: unknown): string {
  if (value === undefined || value === null) return NOT_SET;
  if (typeof value === "string") return PLAIN.test(value) ? value : JSON.stringify(value);
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(compact).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${k}=${compact(v)}`).join(", ")}}`;
}

/** Drops undefined members, so absent and undefined compare equal. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
