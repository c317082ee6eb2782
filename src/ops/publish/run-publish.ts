/**
 * `npm run publish`'s work: the settings read, the folder prepared, the target found, then the
 * publish and its report. Returns the exit
 * code: 0 done, 1 some files failed (each named), 2 could not run (nothing written).
 */
import { resolve } from "node:path";
import { ConfigError } from "../../config/errors";
import { parseSettings, readRawConfig } from "../../config/load";
import { AwsClients } from "../aws-clients";
import { CannotRunError } from "../aws-errors";
import { EMULATOR_DIFFERENCES, EmulatorDifference } from "../emulator/differences";
import { pointsAtEmulator } from "../emulator/emulator";
import { PROJECT_DIR } from "../terraform/synth";
import { headerRules } from "./headers";
import { siteFilesWithHeaders, withChecksums } from "./local-objects";
import {
  PolicyRestoreError,
  WithObjectWrites,
  directObjectWrites,
  emulatorObjectWrites,
} from "../emulator/object-writes";
import { RunLockBusyError } from "../emulator/run-lock";
import { publishFiles } from "./publish";
import { dryRunText, exitCodeOf, summaryText } from "./report";
import { currentVersions } from "./bucket-listing";
import { MANIFEST_KEY } from "./manifest";
import { findDistribution, nameTarget, requireBucket } from "./target";

/** Options of {@link runPublish}: the command line, and where the output goes. */
export interface RunPublishOptions {
  /**
   * The folder to publish, relative to the caller's folder.
   * @default the settings' `publish.directory`, relative to the project
   */
  readonly dir?: string;
  readonly dryRun: boolean;
  readonly deleteGone: boolean;
  readonly wait: boolean;
  /** Credentials, region, endpoint, SITE_CONFIG. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
}

/** The message of an error that means "could not run", or undefined for a bug. */
function cannotRun(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof CannotRunError || error instanceof RunLockBusyError) return error.message;
  return undefined;
}

/**
 * How object calls run (on the emulator, inside the lift of the bucket's policy), each only once
 * `found` says the bucket exists: the lift itself goes ahead meanwhile.
 */
function objectWritesOnceFound(
  found: Promise<void>,
  differences: readonly EmulatorDifference[],
  options: RunPublishOptions,
): WithObjectWrites {
  const lift: WithObjectWrites = differences.some((d) => d.id === "bucket-policy-conditions-ignored")
    ? emulatorObjectWrites(options.env, (line) => options.stderr.write(`${line}\n`))
    : directObjectWrites;
  return (bucket, body) =>
    lift(bucket, async () => {
      await found;
      return body();
    });
}

/** Publishes; returns the exit code. */
export async function runPublish(options: RunPublishOptions): Promise<number> {
  const started = Date.now();
  const clients = new AwsClients(options.env);
  try {
    const user = readRawConfig(options.env, PROJECT_DIR);
    const all = parseSettings(user.raw, user.source);
    const settings = all.publish;
    // A folder typed on the command line is where the user stands (npm runs scripts in the
    // project folder and names the caller's folder INIT_CWD); the setting is the project's.
    const dir =
      options.dir !== undefined
        ? resolve(options.env.INIT_CWD ?? process.cwd(), options.dir)
        : resolve(PROJECT_DIR, settings.directory);
    // Every problem with the files is found before any AWS call; then the files are hashed
    // while the target is found and the bucket is read. On the emulator, its known differences
    // are passed in as data.
    const typed = siteFilesWithHeaders(dir, settings);
    const files = withChecksums(typed);
    const known = pointsAtEmulator(options.env).then((emulator) => (emulator ? EMULATOR_DIFFERENCES : []));
    // The listing starts as soon as STS names the bucket, while the bucket is checked to exist
    // and, on the emulator, its policy is lifted: listing is a bucket read, which the TLS-only
    // policy admits on AWS (the SDK speaks TLS) and the emulator does not refuse (it refuses
    // object calls, see emulator difference bucket-policy-conditions-ignored).
    const named = nameTarget(all, clients, options.env);
    // What a re-run expects the bucket to hold: it only decides which pages go side by side.
    const expected = [...typed.map((file) => file.key), MANIFEST_KEY];
    const listing = named.then((target) => currentVersions(clients.s3(target.region), target.bucket, expected));
    // The bucket is checked to exist (HeadBucket) while, on the emulator, its policy is lifted:
    // one after the other, both waiting on the emulator's listing work, they were often the
    // longest path of a re-run. No object call is made before the check passes (a dry run, which
    // lifts nothing, waits for it first), and when it fails, its error is the one reported.
    const found = named.then((target) => requireBucket(clients, target));
    // Awaited by the publish, or below when the target cannot be found.
    for (const pending of [files, listing, found]) pending.catch(() => undefined);
    const settled = async (error: unknown): Promise<never> => {
      await Promise.allSettled([files, listing]); // no read outlives the run
      await found; // a missing bucket explains a failure better than the call that met it
      throw error;
    };
    const [differences, target] = await Promise.all([known, named, options.dryRun && found]).catch(settled);
    const withObjectWrites = objectWritesOnceFound(found, differences, options);
    const report = await publishFiles({
      files,
      listing: () => listing,
      target,
      s3: clients.s3(target.region),
      distribution: () => findDistribution(all, target, clients, differences),
      cloudfront: () => clients.cloudfront(),
      withObjectWrites,
      differences,
      dryRun: options.dryRun,
      deleteGone: options.deleteGone,
      wait: options.wait,
      isFingerprinted: headerRules(settings).isFingerprinted,
      collapseAt: settings.invalidationCollapseAt,
      out: options.stdout,
    }).catch(settled);
    const seconds = (Date.now() - started) / 1000;
    options.stdout.write(options.dryRun ? dryRunText(report, target) : summaryText(report, target, seconds));
    return options.dryRun ? 0 : exitCodeOf(report);
  } catch (error) {
    if (error instanceof PolicyRestoreError) {
      options.stderr.write(`publish: ${error.message}\n`);
      return 1;
    }
    const message = cannotRun(error);
    if (message === undefined) throw error;
    options.stderr.write(`publish: could not run: ${message}\n`);
    return 2;
  } finally {
    clients.destroy();
  }
}
