/**
 * The configuration a local run deploys: the user's own (SITE_CONFIG, else site.config.json,
 * else the defaults) with two settings overridden, because the run is a throwaway deployment:
 * - `protectData: false`: the run destroys what it creates;
 * - `backend: local`: its state lives in the run's work folder; a configured S3 backend would
 *   otherwise be read (and written) through the emulator's endpoint, or worse, the real one.
 * This is the only place the runner changes settings, and it does so through a config file,
 * never through other code: the synthesized JSON is otherwise what the user would deploy.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RawConfig, parseSettings, readRawConfig } from "../config/load";
import { Settings, SettingsInput } from "../config/schema";

/** What the run overrides in the user's configuration, and nothing else. */
export const RUN_OVERRIDES = { protectData: false, backend: { type: "local" } } as const;

/** The user's configuration file and its raw content. */
export type UserConfig = RawConfig;

/** Reads the user's configuration exactly the way `main.ts` does (one function for both). */
export function readUserConfig(projectDir: string, env: Record<string, string | undefined> = process.env): UserConfig {
  return readRawConfig(env, projectDir);
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
