import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ZodIssue } from "zod";
import { isRecord, valueAt } from "../common/json";
import { ConfigError, ConfigProblem } from "./errors";
import { KEY_ISSUE, Settings, relationProblems, settingsSchema } from "./schema";

/** The config file read when `SITE_CONFIG` is not set (optional: defaults apply without it). */
export const DEFAULT_CONFIG_FILE = "site.config.json";

function problemsFromIssue(raw: unknown, issue: ZodIssue): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    // One problem per unknown key, so each typo is named on its own line.
    return issue.keys.map((key) => ({
      field: [...issue.path, key].join("."),
      value: valueAt(raw, [...issue.path, key]),
      rule: "is not a known setting (check the spelling against the config reference in README.md)",
    }));
  }
  const field = issue.path.join(".");
  const value = valueAt(raw, issue.path);
  // A record's bad key is reported on the key itself, not its value.
  const isKeyIssue = issue.code === "custom" && issue.params?.about === KEY_ISSUE.about && issue.path.length > 0;
  return [{ field, value: isKeyIssue ? issue.path[issue.path.length - 1] : value, rule: issue.message }];
}

/** The configuration as a JSON object, or the one problem that it is not. */
function requireObject(raw: unknown, source: string): Record<string, unknown> {
  if (!isRecord(raw)) throw new ConfigError(source, [{ field: "", value: raw, rule: "must be a JSON object" }]);
  return raw;
}

/**
 * Validates raw input (a parsed config file) and returns fully defaulted settings, or throws one
 * ConfigError listing every problem. `source` names the input in the message.
 */
export function parseSettings(raw: unknown, source = "inline"): Settings {
  const object = requireObject(raw, source);
  const result = settingsSchema.safeParse(raw);
  const problems: ConfigProblem[] = result.success
    ? []
    : result.error.issues.flatMap((issue) => problemsFromIssue(raw, issue));
  for (const relation of relationProblems(object)) {
    problems.push({ field: relation.path.join("."), value: valueAt(raw, relation.path), rule: relation.message });
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);
  return result.data;
}

/** A config file's raw content, and where it came from ("defaults" when there is no file). */
export interface RawConfig {
  readonly source: string;
  readonly raw: Record<string, unknown>;
}

/**
 * Reads the raw configuration, unvalidated: the file named by `SITE_CONFIG` (which must exist),
 * else `site.config.json` in `cwd` when present, else nothing (the defaults). A missing named
 * file, invalid JSON or JSON that is not an object is a ConfigError.
 */
export function readRawConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): RawConfig {
  const named = env.SITE_CONFIG;
  const path = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (named !== undefined) {
      throw new ConfigError(path, [
        { field: "SITE_CONFIG", value: named, rule: "names a config file that does not exist" },
      ]);
    }
    return { source: "defaults", raw: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(path, [
      { field: "", value: undefined, rule: `is not valid JSON: ${(error as Error).message}` },
    ]);
  }
  return { source: path, raw: requireObject(raw, path) };
}

/** Loads and validates the settings (see {@link readRawConfig} for where they come from). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const { source, raw } = readRawConfig(env, cwd);
  return parseSettings(raw, source);
}
