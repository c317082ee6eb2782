import { z } from "zod";
import { KEY_ISSUE } from "./key-issue";

/**
 * The `publish` section of the settings: how `npm run publish` turns a folder into objects of
 * the primary bucket. Every field is optional; unknown keys are errors.
 */

/**
 * The default fingerprint: a content hash of 8 or more hexadecimal digits (one case, at least
 * one digit), between a `.` or `-` and the extension, as bundlers write it by default:
 * `app.3f9a1c2b.js` (webpack `[name].[contenthash:8]`), `main-3F9A1C2B.css` (esbuild, Angular).
 * The digit rule keeps words made of the letters a–f (`facade`) from counting as a hash. Vite's
 * base64url hashes (`index-BkZ3a9fX.js`) need a pattern of their own in the settings.
 */
export const DEFAULT_FINGERPRINT = String.raw`[.-](?=[0-9A-Fa-f]*[0-9])(?:[0-9a-f]{8,}|[0-9A-F]{8,})\.[A-Za-z0-9]+$`;

/**
 * Above this many paths an invalidation becomes the one wildcard `/*`: the first 1,000 paths a
 * month are free and a wildcard counts as one path.
 */
export const DEFAULT_COLLAPSE_AT = 20;

/**
 * CloudFront accepts at most 3,000 individual paths in progress per distribution, so a list
 * longer than that could never be sent.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html
 */
export const MAX_INVALIDATION_PATHS = 3000;

/** A regular expression, as a string that compiles. */
const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `must be a valid regular expression (${(error as Error).message})` });
  }
});

/** A glob over keys, relative to the folder published (picomatch syntax, `/` separators). */
const glob = z.string().refine((g) => g.length > 0 && !g.startsWith("/") && !g.includes("\\"), {
  message: 'must be a glob relative to the published folder, with "/" separators, e.g. "fonts/**"',
});
const globKey = z.string().superRefine((g, ctx) => {
  if (g.length === 0 || g.startsWith("/") || g.includes("\\"))
    ctx.addIssue({
      code: "custom",
      message: 'must be a glob relative to the published folder, with "/" separators, e.g. "fonts/**"',
      params: KEY_ISSUE,
    });
});

/** What a Cache-Control header may hold: printable ASCII, no control characters. */
const cacheControlValue = z.string().regex(/^[\x20-\x7e]+$/, {
  message: 'must be a Cache-Control header value of printable ASCII, e.g. "public, max-age=604800"',
});

/** `.ext` (an extension) or a glob over keys, for files the content-type library does not know. */
const typeKey = z.string().superRefine((key, ctx) => {
  const extension = /^\.[A-Za-z0-9][A-Za-z0-9+_-]*$/.test(key);
  if (!extension && (key.length === 0 || key.startsWith("/") || key.includes("\\")))
    ctx.addIssue({
      code: "custom",
      message: 'must be an extension such as ".webmanifest", or a glob over keys such as ".well-known/*"',
      params: KEY_ISSUE,
    });
});

/** A media type `type/subtype`, optionally with parameters (RFC 6838 names). */
const mediaType = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*[\x20-\x7e]+)?$/, {
    message: 'must be a media type such as "application/manifest+json"',
  });

export const publishSchema = z
  .object({
    /** The site's build output folder, relative to the project: what the CI job publishes. */
    directory: z.string().min(1, { message: "must name a folder" }).default("dist"),
    /** A regular expression tested against a file's name: a match means "fingerprinted". */
    fingerprint: regexSource.default(DEFAULT_FINGERPRINT),
    /** Cache-Control by glob, the first match in the order written winning over the defaults. */
    cacheControl: z.record(globKey, cacheControlValue).default({}),
    /** Content types for extensions (`.ext`) or globs the library does not know. */
    contentTypes: z.record(typeKey, mediaType).default({}),
    /** Globs of dotfiles and dot-folders that may be published. */
    allowDotfiles: z.array(glob).default([".well-known/**"]),
    /** Above this many paths, the invalidation is `/*`. */
    invalidationCollapseAt: z
      .number({ invalid_type_error: `must be a whole number from 1 to ${MAX_INVALIDATION_PATHS}` })
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_INVALIDATION_PATHS, {
        message: `must be a whole number from 1 to ${MAX_INVALIDATION_PATHS}`,
      })
      .default(DEFAULT_COLLAPSE_AT),
  })
  .strict();

/** The validated, defaulted `publish` section. */
export type PublishSettings = z.output<typeof publishSchema>;
