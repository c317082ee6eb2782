/**
 * `npm run emulator`: the emulator for a user's own commands (`cdktf deploy`, `npm run verify`,
 * the AWS CLI), in one folder (default `.emulator/`, git-ignored):
 *   env               the variables that point every tool at the emulator; `. .emulator/env`
 *   terraform.tfrc    the Terraform CLI configuration: the provider from the mirror when found
 *   site.config.json  the user's settings, with the state kept in this folder, so a deployment
 *                     to the emulator never touches the state of a real one
 *   emulator.log      moto's log
 * The settings change only where the emulator needs it, through the file: `backend` becomes a
 * local state file in the folder, and `ci` goes (the CI roles need the S3 backend).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseSettings, readRawConfig } from "../../config/load";
import { STACK_NAMES } from "../../config/names";
import { withoutCi } from "../../config/schema";
import { writeCliConfig } from "../terraform/cli-config";
import { PROJECT_DIR, writeConfigFile } from "../terraform/synth";
import { discoverTools } from "../tools";
import { AMBIENT_AWS_VARIABLES, Emulator, emulatorEnv, startEmulator } from "./emulator";

/** The default folder of `npm run emulator`, in the project. */
export const DEFAULT_EMULATOR_DIR = ".emulator";

/** A running emulator and the files that reach it. */
export interface UserSession {
  readonly emulator: Emulator;
  readonly dir: string;
  /** The shell file to source: `. <envFile>`. */
  readonly envFile: string;
  /** The variables it exports. */
  readonly exports: Readonly<Record<string, string>>;
}

/** Options of {@link openUserSession}. */
export interface UserSessionOptions {
  /** The folder; emptied first. Relative paths are taken from the project folder. */
  readonly dir: string;
  /**
   * Port to try first.
   * @default a free port
   */
  readonly preferredPort?: number;
}

/** A shell word: single-quoted, with single quotes escaped. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** Starts the emulator and writes the folder's files; throws ToolMissingError or ConfigError before anything starts. */
export async function openUserSession(options: UserSessionOptions): Promise<UserSession> {
  const tools = discoverTools(process.env);
  const user = readRawConfig(process.env, PROJECT_DIR);
  const dir = resolve(PROJECT_DIR, options.dir);
  const raw = {
    ...withoutCi(user.raw),
    backend: { type: "local", path: join(dir, `terraform.${STACK_NAMES.storage}.tfstate`) },
  };
  const settings = parseSettings(raw, `${user.source} + the emulator's state folder`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const configFile = writeConfigFile(dir, raw);
  const cliConfigFile = writeCliConfig(dir, tools.providerMirror);
  const emulator = await startEmulator({
    motoServer: tools.motoServer,
    logFile: join(dir, "emulator.log"),
    preferredPort: options.preferredPort,
  });
  const exports: Record<string, string> = {
    ...emulatorEnv(emulator.endpoint, settings.primaryRegion),
    TF_CLI_CONFIG_FILE: cliConfigFile,
    SITE_CONFIG: configFile,
    CHECKPOINT_DISABLE: "1",
    // cdktf would otherwise point Terraform at a plugin cache in the home folder.
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true",
  };
  const envFile = join(dir, "env");
  writeFileSync(
    envFile,
    [
      `# The moto emulator at ${emulator.endpoint} (pid ${emulator.pid}), started by npm run emulator. Source this file: . ${envFile}`,
      `unset ${AMBIENT_AWS_VARIABLES.join(" ")}`,
      ...Object.entries(exports).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
      "",
    ].join("\n"),
  );
  return { emulator, dir, envFile, exports };
}
