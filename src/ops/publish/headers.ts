/**
 * The headers each object gets: its Content-Type (from the `mime-types` library, which follows
 * the IANA registry and mime-db, with `; charset=utf-8` for text types) and its Cache-Control.
 *
 * Cache-Control, first rule that applies:
 * 1. the settings' `cacheControl` globs, in the order written;
 * 2. a fingerprinted file (a content hash in its name: its URL changes whenever its bytes do)
 *    is cached for a year and never revalidated: `public, max-age=31536000, immutable`;
 * 3. HTML and everything else must be revalidated on every request:
 *    `public, max-age=0, must-revalidate`. HTML is never treated as fingerprinted: its URL is
 *    the one visitors type and links point at.
 */
import { contentType as withCharset, lookup } from "mime-types";
import picomatch from "picomatch";
import type { PublishSettings } from "../../config/publish-settings";

/**
 * A year, the conventional lifetime of a fingerprinted file (HTTP/1.1 capped Expires at one
 * year, RFC 2616 section 14.21), and `immutable`: no revalidation even on reload (RFC 8246).
 */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Stored, but checked with the origin before every use. */
export const REVALIDATE = "public, max-age=0, must-revalidate";

/** The headers of one object. */
export interface ObjectHeaders {
  readonly contentType: string;
  readonly cacheControl: string;
  /** Its name carries a content hash: never invalidated, cached for a year. */
  readonly fingerprinted: boolean;
  /** An HTML page: published after every asset. */
  readonly html: boolean;
}

/** The settings compiled once into matchers. */
export interface HeaderRules {
  headersFor(key: string): ObjectHeaders | { readonly unknownType: true };
  isFingerprinted(key: string): boolean;
}

const globOptions = { dot: true } as const;

/** The Content-Type for a media type: with `; charset=utf-8` for text types, as mime-types decides. */
function typeWithCharset(type: string): string {
  return withCharset(type) || type;
}

/** Compiles the `publish` settings into the header rules. */
export function headerRules(settings: Pick<PublishSettings, "fingerprint" | "cacheControl" | "contentTypes">) {
  const fingerprint = new RegExp(settings.fingerprint);
  const cacheRules = Object.entries(settings.cacheControl).map(
    ([glob, value]) => [picomatch(glob, globOptions), value] as const,
  );
  const typeEntries = Object.entries(settings.contentTypes);
  const byExtension = new Map(
    typeEntries.filter(([key]) => /^\.[^/*?[\]{}]+$/.test(key)).map(([key, type]) => [key.toLowerCase(), type]),
  );
  const byGlob = typeEntries
    .filter(([key]) => !byExtension.has(key.toLowerCase()))
    .map(([glob, type]) => [picomatch(glob, globOptions), type] as const);

  const typeOf = (key: string): string | undefined => {
    const fromGlob = byGlob.find(([matches]) => matches(key));
    if (fromGlob) return typeWithCharset(fromGlob[1]);
    const dot = key.lastIndexOf(".");
    const extension = dot > key.lastIndexOf("/") ? key.slice(dot).toLowerCase() : undefined;
    const fromExtension = extension === undefined ? undefined : byExtension.get(extension);
    if (fromExtension) return typeWithCharset(fromExtension);
    const known = lookup(key);
    return known === false ? undefined : typeWithCharset(known);
  };
  const isFingerprinted = (key: string) => fingerprint.test(key.slice(key.lastIndexOf("/") + 1));

  return {
    isFingerprinted: (key: string) => isFingerprinted(key) && !/^text\/html\b/.test(typeOf(key) ?? ""),
    headersFor(key: string): ObjectHeaders | { readonly unknownType: true } {
      const contentType = typeOf(key);
      if (contentType === undefined) return { unknownType: true };
      const html = /^text\/html\b/.test(contentType);
      const fingerprinted = !html && isFingerprinted(key);
      const override = cacheRules.find(([matches]) => matches(key));
      const cacheControl = override ? override[1] : fingerprinted ? IMMUTABLE : REVALIDATE;
      return { contentType, cacheControl, fingerprinted, html };
    },
  } satisfies HeaderRules;
}
