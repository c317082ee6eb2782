/**
 * The local half of a publish, before any AWS call: the folder checked and listed, every file
 * given its headers and checksum. Any problem here stops the publish with exit 2 and nothing
 * written, each file named.
 */
import { existsSync, statSync } from "node:fs";
import type { PublishSettings } from "../../config/publish-settings";
import { fileChecksum } from "./checksum";
import { CannotRunError } from "../aws-errors";
import { listed } from "./errors";
import { headerRules } from "./headers";
import { settleEach } from "./pool";
import type { LocalObject } from "./plan";
import { scanSite } from "./site-files";

/** Files hashed at once (reading is cheap; this bounds open files). */
const HASH_CONCURRENCY = 16;

/** A file with its headers, before it is hashed. */
export type TypedFile = Omit<LocalObject, "checksum">;

/**
 * Every file of `dir` with its headers, or CannotRunError naming every file that cannot
 * be published. Synchronous and cheap: it runs before anything else starts.
 */
export function siteFilesWithHeaders(dir: string, settings: PublishSettings): TypedFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CannotRunError(
      "directory",
      `${dir} is not a folder: build the site first, or name its output folder (npm run publish -- <dir>, or publish.directory in the settings)`,
    );
  const scan = scanSite(dir, settings.allowDotfiles);
  if (scan.refused.length > 0)
    throw new CannotRunError(
      "unsafe-names",
      `${scan.refused.length} file(s) in ${dir} cannot be published; nothing was written:\n${listed(scan.refused)}`,
    );
  if (scan.files.length === 0)
    throw new CannotRunError("directory", `${dir} holds no file: build the site first, or name another folder`);
  const rules = headerRules(settings);
  const unknown: { key: string; reason: string }[] = [];
  const typed = scan.files.flatMap((file) => {
    const headers = rules.headersFor(file.key);
    if ("unknownType" in headers) {
      unknown.push({ key: file.key, reason: "has an extension the content-type library does not know" });
      return [];
    }
    return [{ ...file, ...headers }];
  });
  if (unknown.length > 0)
    throw new CannotRunError(
      "content-type",
      `${unknown.length} file(s) have no known content type; nothing was written:\n${listed(unknown)}\n` +
        'Map them in the settings, e.g. "publish": { "contentTypes": { ".webmanifest": "application/manifest+json" } }',
    );
  return typed;
}

/** Each file's checksum, as S3 will store it (see checksum.ts). */
export async function withChecksums(typed: readonly TypedFile[]): Promise<LocalObject[]> {
  const hashed = await settleEach(typed, HASH_CONCURRENCY, async (file) => ({
    ...file,
    checksum: await fileChecksum(file.path, file.size),
  }));
  return hashed.map((result, i) => {
    if (result.status === "rejected")
      throw new CannotRunError("directory", `cannot read ${typed[i].path}: ${(result.reason as Error).message}`);
    return result.value;
  });
}
