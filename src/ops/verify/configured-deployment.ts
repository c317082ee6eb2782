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
import { cannotRunOf } from "../aws-errors";
import { EMULATOR_DIFFERENCES, EmulatorDifference } from "../emulator/differences";
import { pointsAtEmulator } from "../emulator/emulator";
import { WithObjectWrites, directObjectWrites, emulatorObjectWrites } from "../emulator/object-writes";
import { takeRunLock } from "../emulator/run-lock";
import { PROJECT_DIR, synthesize, writeConfigFile } from "../terraform/synth";
import { VerifyResult, verifyDeployment } from "./verify";

/** Options of {@link verifyConfiguredDeployment}. */
export interface ConfiguredVerifyOptions {
  /** The environment: credentials, region, endpoint, SITE_CONFIG. */
  readonly env: NodeJS.ProcessEnv;
  /** Receives a line when the run waits for another run on the same emulator. */
  readonly progress: (line: string) => void;
}

/** A verification, what it was run against, and what the object probe needs to follow it. */
export interface ConfiguredVerifyResult extends VerifyResult {
  /** The settings' source: a file, or "defaults". */
  readonly configSource: string;
  /** True when the endpoint is the moto emulator. */
  readonly emulator: boolean;
  /** The emulator's known differences passed to the verifier; empty on AWS. */
  readonly tolerances: readonly EmulatorDifference[];
  /** How the object probe may write: the emulator's policy lift, or nothing lifted on AWS. */
  readonly withObjectWrites: WithObjectWrites;
}

/**
 * Synthesizes the user's settings and verifies the live deployment they describe. Throws
 * ConfigError (bad settings, naming the user's file), SynthError, CannotRunError (every
 * SDK error that means it cannot run, see `cannotRunOf`) or DeploymentInputError. On the emulator
 * the reads hold the endpoint's run lock (see `emulator/run-lock.ts`), so none happens while
 * another run has the policy lifted.
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
      const tolerances = emulator ? EMULATOR_DIFFERENCES : [];
      const result = await verifyDeployment({ synthesized: synthesized.json, env: options.env, tolerances });
      const withObjectWrites = emulator ? emulatorObjectWrites(options.env, options.progress) : directObjectWrites;
      return { ...result, configSource: user.source, emulator, tolerances, withObjectWrites };
    } catch (error) {
      throw cannotRunOf(error) ?? error;
    } finally {
      release();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
