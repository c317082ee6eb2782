/**
 * The configuration a local run deploys: the user's own (SITE_CONFIG, else site.config.json,
 * else the defaults) with two settings overridden, because the run is a throwaway deployment:
 * - `protectData: false`: the run destroys what it creates;
 * - `backend: local`: its state lives in the run's work folder; a configured S3 backend would
 *   otherwise be read (and written) through the emulator's endpoint, or worse, the real one;
 * - no `ci`: the CI roles belong to the account's pipeline (the `site-ci` stack, which needs
 *   the S3 backend), and without them the replication role needs no permissions boundary.
 * This is the only place the runner changes settings, and it does so through a config file,
 * never through other code: the synthesized JSON is otherwise what the user would deploy.
 */
import { parseSettings, readRawConfig } from "../../config/load";
import { Settings, withoutCi } from "../../config/schema";
import { PROJECT_DIR } from "../terraform/synth";

/** What the run overrides in the user's configuration, and nothing else. */
const RUN_OVERRIDES = { protectData: false, backend: { type: "local" } } as const;

/** The run's configuration: the raw document it synthesizes with, its settings, and where it came from. */
export interface RunConfig {
  readonly raw: Record<string, unknown>;
  readonly settings: Settings;
  /** The user's file, or "defaults". */
  readonly source: string;
}

/** `raw` with RUN_OVERRIDES and without `ci`, validated (every problem at once). */
export function withRunOverrides(raw: Record<string, unknown>, source: string): RunConfig {
  const merged = { ...withoutCi(raw), ...RUN_OVERRIDES };
  const changes = `${JSON.stringify(RUN_OVERRIDES)}${raw.ci === undefined ? "" : ", without ci"}`;
  return { raw: merged, settings: parseSettings(merged, `${source} + ${changes}`), source };
}

/** The user's configuration, read exactly as `main.ts` reads it, with the run's overrides. */
export function localRunConfig(env: NodeJS.ProcessEnv = process.env): RunConfig {
  const user = readRawConfig(env, PROJECT_DIR);
  return withRunOverrides(user.raw, user.source);
}
