/**
 * The configuration a local run deploys: the user's own (SITE_CONFIG, else site.config.json,
 * else the defaults) with two settings overridden, because the run is a throwaway deployment:
 * - `protectData: false`: the run destroys what it creates;
 * - `backend: local`: its state lives in the run's work folder; a configured S3 backend would
 *   otherwise be read (and written) through the emulator's endpoint, or worse, the real one.
 * This is the only place the runner changes settings, and it does so through a config file,
 * never through other code: the synthesized JSON is otherwise what the user would deploy.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { DEFAULT_CONFIG_FILE, parseSettings } from "../config/load";
import { Settings, SettingsInput } from "../config/schema";

/** What the run overrides in the user's configuration, and nothing else. */
export const RUN_OVERRIDES = { protectData: false, backend: { type: "local" } } as const;

/** The user's configuration file and its raw content. */
export interface UserConfig {
  /** The file read, or "defaults" when there is none. */
  readonly source: string;
  readonly raw: Record<string, unknown>;
}

/**
 * Reads the user's configuration the way `main.ts` would: the file named by SITE_CONFIG (which
 * must exist), else site.config.json in `projectDir` when present, else nothing (the defaults).
 */
export function readUserConfig(projectDir: string, env: Record<string, string | undefined> = process.env): UserConfig {
  const named = env.SITE_CONFIG;
  const path = resolve(projectDir, named ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (named !== undefined) {
      throw new ConfigError(path, [{ field: "SITE_CONFIG", value: named, rule: "names a config file that does not exist" }]);
    }
    return { source: "defaults", raw: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(path, [{ field: "", value: undefined, rule: `is not valid JSON: ${(error as Error).message}` }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(path, [{ field: "", value: raw, rule: "must be a JSON object" }]);
  }
  return { source: path, raw: raw as Record<string, unknown> };
}

/** The run's configuration: `raw` with RUN_OVERRIDES, validated (every problem at once). */
export function runConfig(raw: SettingsInput | Record<string, unknown>, source = "inline"): { raw: Record<string, unknown>; settings: Settings } {
  const merged = { ...raw, ...RUN_OVERRIDES };
  return { raw: merged, settings: parseSettings(merged, `${source} + ${JSON.stringify(RUN_OVERRIDES)}`) };
}

/** Writes a configuration into `dir` for SITE_CONFIG and returns its path. */
export function writeRunConfig(dir: string, raw: Record<string, unknown>, name = "site.config.json"): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(raw, null, 2)}\n`);
  return path;
}
