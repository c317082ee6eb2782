/**
 * Which relative paths can become object keys that S3 stores and CloudFront serves under the
 * same name. A key is the file's path relative to the published folder, in POSIX form.
 *
 * Refused, each with the reason a user acts on:
 * - control characters (U+0000–U+001F, U+007F) and `\`: S3 lists them among the characters to
 *   avoid in keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html);
 * - `.` or `..` segments: browsers and CloudFront remove dot segments from a request path
 *   (RFC 3986 section 5.2.4), so such a key could never be requested by its name;
 * - empty segments (`//`) and a leading or trailing `/`: no file path has them, and URL
 *   normalizers collapse them;
 * - `?` and `#`: in a URL they start the query string and the fragment, so the object could
 *   never be requested;
 * - `*`: in an invalidation path it is the wildcard
 *   (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/invalidation-specifying-objects.html);
 * - `%`: a URL decodes percent-escapes, so a link to `a%20b.html` requests the key `a b.html`,
 *   and every link to such a file must be written with `%25`;
 * - names not in Unicode NFC: browsers send links in NFC, so a decomposed name (as macOS
 *   file systems may write it) would not match;
 * - keys over 1,024 bytes of UTF-8, the S3 limit;
 * - keys under a prefix the tools reserve (see {@link RESERVED_PREFIXES}).
 */

/** Where publish keeps its manifest (manifest.ts). */
export const PUBLISH_PREFIX = "site-storage-publish/";

/**
 * Prefixes a publish never deletes and no site file may use: its own manifest's, and the one of
 * the objects verify's replication probe writes while it runs (`src/ops/probe/object-probe.ts`), which
 * the probe removes itself.
 */
export const RESERVED_PREFIXES = [PUBLISH_PREFIX, "site-storage-verify/"] as const;

/** The longest key S3 accepts, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/** Why `key` cannot be published under its name, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return "contains a control character, which S3 keys must avoid";
  if (key.includes("\\")) return 'contains "\\", which S3 keys must avoid';
  if (key.startsWith("/") || key.endsWith("/") || key.includes("//"))
    return 'has an empty path segment (a leading, trailing or double "/"), which URL normalizers collapse';
  if (key.split("/").some((segment) => segment === "." || segment === ".."))
    return 'has a "." or ".." segment, which browsers and CloudFront remove from a request path';
  if (/[?#]/.test(key)) return 'contains "?" or "#", which start a URL\'s query or fragment';
  if (key.includes("*")) return 'contains "*", the wildcard of CloudFront invalidation paths';
  if (key.includes("%")) return 'contains "%", which a URL decodes as a percent-escape';
  if (key.normalize("NFC") !== key) return "is not in Unicode NFC, the form browsers send in URLs";
  if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes, the S3 key limit`;
  const reserved = RESERVED_PREFIXES.find((prefix) => key.startsWith(prefix));
  if (reserved !== undefined) return `is under ${reserved}, a prefix the tools reserve for their own objects`;
  return undefined;
}
