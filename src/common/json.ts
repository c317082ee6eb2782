/**
 * Reading untyped JSON (parsed config files, Terraform's plan and state, synthesized cdk.tf.json):
 * one copy of each helper, so every reader treats lists, nulls and missing keys the same way.
 */

/** A plain JSON object: not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The value at `path` inside `value`: string parts index objects, number parts index lists.
 * Undefined as soon as a step does not exist.
 */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === "number") node = node[part];
    else if (isRecord(node) && typeof part === "string") node = node[part];
    else return undefined;
  }
  return node;
}

/** Structural equality of JSON values (key order irrelevant, list order relevant). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
