/**
 * One AWS call whose failure is a finding, not a crash: the verifier turns every call into a
 * value or an error text, so one failed call is one failed row.
 */

import { cannotRunOf } from "./aws-errors";

/** The result of one AWS call: its value, or the error's name and message. */
export type CallResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly error: string };

/**
 * Runs an AWS call and captures its error instead of throwing, so one failed call is one failed
 * row; an error that means the run cannot go on (see `cannotRunOf`) is thrown as CannotRunError.
 */
export async function callAws<T>(call: () => Promise<T>): Promise<CallResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const cannotRun = cannotRunOf(error);
    if (cannotRun !== undefined) throw cannotRun;
    const err = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const code = err.Code ?? err.name ?? "Error";
    const status = err.$metadata?.httpStatusCode;
    const message = err.message && err.message !== code && err.message !== "UnknownError" ? `: ${err.message}` : "";
    return { ok: false, code, error: `(error: ${code}${status ? ` HTTP ${status}` : ""}${message})` };
  }
}

/** The found value of an outcome: the value rendered, or the error text. */
export function foundOf<T>(outcome: CallResult<T>, render: (value: T) => string): string {
  return outcome.ok ? render(outcome.value) : outcome.error;
}

/** The error's code (`name` or `Code`) when a call failed, else undefined. */
function errorCode(error: unknown): string | undefined {
  const err = error as { name?: string; Code?: string };
  return err?.Code ?? err?.name;
}

/**
 * Runs a read whose "not found" errors (`absentCodes`) mean the resource does not exist:
 * resolves undefined for them, rejects with any other error.
 */
export async function unlessAbsent<T>(call: () => Promise<T>, absentCodes: readonly string[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (absentCodes.includes(errorCode(error) ?? "")) return undefined;
    throw error;
  }
}
