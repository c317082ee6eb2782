/**
 * The publish command's error wording. Publishing that cannot start throws the one
 * CannotRunError (`../aws-errors.ts`): nothing was written and `npm run publish` exits 2, as
 * verify does. A file that fails to upload is not an error of this kind: it is named in the
 * report (exit 1).
 */

/** A list of keys with their reasons, one per line, for a message. */
export function listed(items: readonly { readonly key: string; readonly reason: string }[], limit = 50): string {
  const lines = items.slice(0, limit).map((item) => `  - ${item.key}: ${item.reason}`);
  if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  return lines.join("\n");
}
