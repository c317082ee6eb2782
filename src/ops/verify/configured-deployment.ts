/**
 * `npm run verify`'s work: the deployment the user's settings describe, checked live. The
 * settings are read exactly as `main.ts` reads them (SITE_CONFIG, else site.config.json, else
 * the defaults), validated here so a problem names the user's file, and synthesized in a child
 * process from that same file into a temporary folder, so the expectations are what
 * `cdktf synth` would write today; the account is the one the credentials reach.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSettings, readRawConfig } from "../../config/load";
import { EMULATOR_DIFFERENCES } from "../emulator/differences";
import { pointsAtEmulator } from "../emulator/emulator";
import { PROJECT_DIR, synthesize, writeConfigFile } from "../terraform/synth";
import { cannotRunOf } from "./errors";
import { ProbeOptions } from "./probe";
import { VerifyRow } from "./row";
import { takeRunLock } from "./run-lock";
import { verifyDeployment } from "./verify";

/** Options of {@link verifyConfiguredDeployment}. */
export interface ConfiguredVerifyOptions {
  /** The environment: credentials, region, endpoint, SITE_CONFIG. */
  readonly env: NodeJS.ProcessEnv;
  /** The replication probe, or false for a strictly read-only run. */
  readonly probe: ProbeOptions | false;
  /** Receives a line when the run waits for another run on the same emulator. */
  readonly progress: (line: string) => void;
}

/** A verification, and what it was run against. */
export interface ConfiguredVerifyResult {
  /** The account STS answered with: the deployment checked is in this account. */
  readonly account: string;
  /** Every row, passing or not. */
  readonly rows: readonly VerifyRow[];
  /** What this run could not show, and why. */
  readonly notShown: readonly string[];
  /** The settings' source: a file, or "defaults". */
  readonly configSource: string;
  /** True when the endpoint is the moto emulator. */
  readonly emulator: boolean;
}

/**
 * Synthesizes the user's settings and verifies the live deployment they describe. Throws
 * ConfigError (bad settings, naming the user's file), SynthError, VerifyCannotRunError (every
 * SDK error that means it cannot run, see `cannotRunOf`) or VerifyInputError. On the emulator
 * the run holds the endpoint's run lock (see `run-lock.ts`).
 */
export async function verifyConfiguredDeployment(options: ConfiguredVerifyOptions): Promise<ConfiguredVerifyResult> {
  const user = readRawConfig(options.env, PROJECT_DIR);
  parseSettings(user.raw, user.source);
  const work = mkdtempSync(join(tmpdir(), "site-verify-"));
  try {
    // The user's own file when there is one, so anything synthesis reports names it.
    const configFile = user.source === "defaults" ? writeConfigFile(work, user.raw) : user.source;
    const [synthesized, emulator] = await Promise.all([
      synthesize({ outDir: join(work, "out"), configFile, env: options.env }),
      pointsAtEmulator(options.env),
    ]);
    const release = emulator ? await takeRunLock(String(options.env.AWS_ENDPOINT_URL), options.progress) : () => {};
    try {
      const result = await verifyDeployment({
        synthesized: synthesized.json,
        env: options.env,
        tolerances: emulator ? EMULATOR_DIFFERENCES : [],
        probe: options.probe,
      });
      return { ...result, configSource: user.source, emulator };
    } catch (error) {
      throw cannotRunOf(error) ?? error;
    } finally {
      release();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
