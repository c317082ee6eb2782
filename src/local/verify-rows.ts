import { NOT_RETURNED } from "./emulator-differences";
import type { CheckRow } from "./verify";

/** How an absent setting is shown, on either side of a row (the emulator list quotes it too). */
export const NOT_SET = NOT_RETURNED;

/** A row; `pass` defaults to "found is exactly what was expected". */
export function row(check: string, resource: string, expected: string, found: string, pass = expected === found): CheckRow {
  return { check, resource, expected, found, pass };
}

/** The result of one AWS call: its value, or the error's name and message. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly error: string };

/** Runs an AWS call and captures its error instead of throwing, so one failed call is one failed row. */
export async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const err = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const code = err.Code ?? err.name ?? "Error";
    const status = err.$metadata?.httpStatusCode;
    const message = err.message && err.message !== code && err.message !== "UnknownError" ? `: ${err.message}` : "";
    return { ok: false, code, error: `(error: ${code}${status ? ` HTTP ${status}` : ""}${message})` };
  }
}

/** The found value of an outcome: the value rendered, or the error text. */
export function foundOf<T>(outcome: Outcome<T>, render: (value: T) => string): string {
  return outcome.ok ? render(outcome.value) : outcome.error;
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
