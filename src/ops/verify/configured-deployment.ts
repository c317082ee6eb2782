/**
 * `npm run verify`'s work: the deployment the user's settings describe, checked live. The
 * settings are read exactly as `main.ts` reads them (SITE_CONFIG, else site.config.json, else
 * the defaults) and synthesized in a child process into a temporary folder, so the expectations
 * are what `cdktf synth` would write today; the account is the one the credentials reach.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRawConfig } from "../../config/load";
import { EMULATOR_DIFFERENCES } from "../emulator/differences";
import { pointsAtEmulator } from "../emulator/emulator";
import { PROJECT_DIR, synthesize, writeConfigFile } from "../terraform/synth";
import { ProbeOptions } from "./probe";
import { VerifyResult, verifyDeployment } from "./verify";

/** Options of {@link verifyConfiguredDeployment}. */
export interface ConfiguredVerifyOptions {
  /** The environment: credentials, region, endpoint, SITE_CONFIG. */
  readonly env: NodeJS.ProcessEnv;
  /** The replication probe, or false for a strictly read-only run. */
  readonly probe: ProbeOptions | false;
}

/** A verification, and what it was run against. */
export interface ConfiguredVerifyResult extends VerifyResult {
  /** The settings' source: a file, or "defaults". */
  readonly configSource: string;
  /** True when the endpoint is the moto emulator. */
  readonly emulator: boolean;
}

/**
 * Synthesizes the user's settings and verifies the live deployment they describe. Throws
 * ConfigError or SynthError (bad settings), VerifyCannotRunError or VerifyInputError (see
 * `verifyDeployment`).
 */
export async function verifyConfiguredDeployment(options: ConfiguredVerifyOptions): Promise<ConfiguredVerifyResult> {
  const user = readRawConfig(options.env, PROJECT_DIR);
  const work = mkdtempSync(join(tmpdir(), "site-verify-"));
  try {
    const [synthesized, emulator] = await Promise.all([
      synthesize({ outDir: join(work, "out"), configFile: writeConfigFile(work, user.raw), env: options.env }),
      pointsAtEmulator(options.env),
    ]);
    const result = await verifyDeployment({
      synthesized: synthesized.json,
      env: options.env,
      tolerances: emulator ? EMULATOR_DIFFERENCES : [],
      probe: options.probe,
    });
    return { ...result, configSource: user.source, emulator };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
