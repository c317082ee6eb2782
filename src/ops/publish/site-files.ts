/**
 * The files of the folder to publish, with the key each becomes, and every reason one of them
 * cannot be published. Keys are paths relative to the folder in POSIX form (`a/b.html`).
 *
 * Safety:
 * - a file or folder whose name starts with "." (`.git`, `.env`, `.DS_Store`) is refused unless
 *   a glob of the settings' `allowDotfiles` matches its key: publishing a repository or a
 *   secrets file by accident is the mistake this prevents;
 * - a symbolic link is followed only when its target is inside the folder; one that leads out
 *   (or is broken) is refused, so a link can never publish `/etc` or a home folder;
 * - a key S3 or CloudFront would mangle is refused (see key-rules.ts).
 */
import { Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";
import { keyProblem } from "./key-rules";

/** A file to publish. */
export interface SiteFile {
  /** Its path on disk. */
  readonly path: string;
  /** The object key: the path relative to the folder, with `/` separators. */
  readonly key: string;
  readonly size: number;
}

/** What the folder holds: the files, and each that cannot be published, with why. */
export interface SiteScan {
  readonly files: readonly SiteFile[];
  readonly refused: readonly { readonly key: string; readonly reason: string }[];
}

/** Whether `path` is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/**
 * Lists every file under `root` (an existing folder), following links only within it.
 * `allowDotfiles` are globs over keys.
 */
export function scanSite(root: string, allowDotfiles: readonly string[]): SiteScan {
  const realRoot = realpathSync(root);
  const dotAllowed = picomatch(allowDotfiles.length > 0 ? [...allowDotfiles] : ["\0"], { dot: true });
  const files: SiteFile[] = [];
  const refused: { key: string; reason: string }[] = [];
  // The folders being walked, by real path: a link back to one of them would loop forever.
  const walk = (dir: string, prefix: string, ancestors: ReadonlySet<string>) => {
    const entries: Dirent[] = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const key = `${prefix}${entry.name}`;
      const path = join(dir, entry.name);
      let real = path;
      if (entry.isSymbolicLink()) {
        try {
          real = realpathSync(path);
        } catch {
          refused.push({ key, reason: "is a broken symbolic link" });
          continue;
        }
        if (!inside(realRoot, real)) {
          refused.push({
            key,
            reason: `is a symbolic link out of the folder (to ${real}); links are followed only inside it`,
          });
          continue;
        }
      }
      const stat = statSync(real);
      if (stat.isDirectory()) {
        // A dot-folder is entered when some allowed glob can match inside it.
        const enter = dotAllowed(`${key}/x`) || allowDotfiles.some((glob) => glob.startsWith(`${key}/`));
        if (entry.name.startsWith(".") && !enter) {
          refused.push({
            key: `${key}/`,
            reason: 'is a dot-folder; allow it with publish.allowDotfiles (e.g. ".well-known/**")',
          });
          continue;
        }
        if (ancestors.has(real)) {
          refused.push({ key: `${key}/`, reason: "is a symbolic link to a folder that contains it (a loop)" });
          continue;
        }
        walk(real, `${key}/`, new Set([...ancestors, real]));
        continue;
      }
      if (!stat.isFile()) {
        refused.push({ key, reason: "is not a regular file (a socket, a device or a pipe)" });
        continue;
      }
      const problem = keyProblem(key);
      if (problem !== undefined) refused.push({ key, reason: problem });
      else if (key.split("/").some((s) => s.startsWith(".")) && !dotAllowed(key))
        refused.push({ key, reason: "is a dotfile; allow it with publish.allowDotfiles if it is meant to be public" });
      else files.push({ path: real, key, size: stat.size });
    }
  };
  walk(realRoot, "", new Set([realRoot]));
  return { files, refused };
}
