/**
 * What a publish does, decided from the local files and what the bucket holds, before anything
 * is written: a pure function, so the order and the change detection are tested on their own.
 *
 * - A file is unchanged when the bucket holds an object under its key with the same SHA-256
 *   checksum, Content-Type and Cache-Control (a changed header setting re-publishes the files
 *   it concerns); anything else is uploaded.
 * - Uploads come in two waves, every asset before any HTML page, so a visitor never receives a
 *   page that links to an asset not yet there.
 * - Deletes (objects whose file is gone) come last, and only when asked.
 */
import type { EmulatorDifference } from "../emulator/differences";
import { sameChecksum } from "./checksum";
import type { ObjectHeaders } from "./headers";
import type { SiteFile } from "./site-files";

/** A file with its checksum and headers: ready to compare and upload. */
export interface LocalObject extends SiteFile, ObjectHeaders {
  /** The checksum S3 stores for it once uploaded (see checksum.ts). */
  readonly checksum: string;
}

/** What the bucket holds under one key (the current version). */
export interface RemoteObject {
  readonly size: number;
  /** The current version's id ("null" in an unversioned bucket). */
  readonly versionId?: string;
  /** Read with HeadObject only when the sizes match (otherwise the object differs anyway). */
  readonly checksum?: string;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

/** The publish, step by step. */
export interface PublishPlan {
  /** New or changed files that are not HTML: the first wave. */
  readonly assets: readonly LocalObject[];
  /** New or changed HTML pages: the second wave. */
  readonly html: readonly LocalObject[];
  readonly unchanged: readonly LocalObject[];
  /** Keys of objects whose file is gone (empty when deletes are off). */
  readonly deletes: readonly string[];
  /** Keys whose file is gone but that are kept (`--no-delete`). */
  readonly kept: readonly string[];
}

/**
 * Whether the object under a file's key is that file, with its headers. `differences`: the
 * emulator's, when the bucket is on one (see `sameChecksum`); none on AWS.
 */
export function isUnchanged(
  file: LocalObject,
  remote: RemoteObject | undefined,
  differences: readonly EmulatorDifference[] = [],
): boolean {
  return (
    remote !== undefined &&
    remote.size === file.size &&
    sameChecksum(file.checksum, remote.checksum, differences) &&
    remote.contentType === file.contentType &&
    remote.cacheControl === file.cacheControl
  );
}

/**
 * Plans the publish of `files` into a bucket holding `remote`. `ignored` are prefixes of keys
 * that are never deleted (another tool's objects); `differences` are the emulator's, if the
 * bucket is on one.
 */
export function planPublish(
  files: readonly LocalObject[],
  remote: ReadonlyMap<string, RemoteObject>,
  options: {
    readonly deleteGone: boolean;
    readonly ignored?: readonly string[];
    readonly differences?: readonly EmulatorDifference[];
  },
): PublishPlan {
  const unchanged = files.filter((file) => isUnchanged(file, remote.get(file.key), options.differences));
  const same = new Set(unchanged);
  const changed = files.filter((file) => !same.has(file));
  const local = new Set(files.map((file) => file.key));
  const gone = [...remote.keys()]
    .filter((key) => !local.has(key) && !(options.ignored ?? []).some((prefix) => key.startsWith(prefix)))
    .sort();
  return {
    assets: changed.filter((file) => !file.html),
    html: changed.filter((file) => file.html),
    unchanged,
    deletes: options.deleteGone ? gone : [],
    kept: options.deleteGone ? [] : gone,
  };
}
