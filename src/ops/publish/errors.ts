/**
 * The publish command's error type and wording. A PublishCannotRunError means nothing was
 * written (`npm run publish` exits 2); its message says what is wrong and what to do. So does a
 * CannotRunError (`../aws-errors.ts`: no credentials, the endpoint unreachable). A file
 * that fails to upload is not an error of this kind: it is named in the report (exit 1).
 */

/** Why publishing could not start. */
export type CannotPublishReason =
  "settings" | "directory" | "unsafe-names" | "content-type" | "not-deployed" | "access";

/** Publishing could not start; nothing was written. */
export class PublishCannotRunError extends Error {
  readonly reason: CannotPublishReason;

  constructor(reason: CannotPublishReason, message: string) {
    super(message);
    this.name = "PublishCannotRunError";
    this.reason = reason;
  }
}

/** A list of keys with their reasons, one per line, for a message. */
export function listed(items: readonly { readonly key: string; readonly reason: string }[], limit = 50): string {
  const lines = items.slice(0, limit).map((item) => `  - ${item.key}: ${item.reason}`);
  if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  return lines.join("\n");
}
