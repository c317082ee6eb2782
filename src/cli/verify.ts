/**
 * `npm run verify [-- --json <file>] [--no-probe] [--probe-timeout <seconds>]`: checks the live
 * deployment of site-storage that the settings describe, in whatever account and endpoint the
 * environment selects (AWS, or the emulator), with no Terraform state.
 * Exit 0: every check passes; 1: drift or a failed check; 2: it could not run.
 */
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { CannotRunError } from "../ops/aws-errors";
import { RunLockBusyError } from "../ops/emulator/run-lock";
import { probeDistributions } from "../ops/probe/cdn-probe";
import { ObjectProbeResult, ProbeOptions, probeObjects } from "../ops/probe/object-probe";
import { SynthError } from "../ops/terraform/errors";
import { ConfiguredVerifyResult, verifyConfiguredDeployment } from "../ops/verify/configured-deployment";
import { DeploymentInputError } from "../ops/deployment/errors";
import { failedRows, reportWidth, rowsTable } from "./report-table";
import { VerifyRow, rowPasses } from "../ops/verify/row";
import { wrap } from "../common/text";
import { parseCommandLine, runCommand } from "./args";

const DEFAULT_PROBE_TIMEOUT_SECONDS = 900;

const SPEC = {
  name: "verify",
  usage: `Usage: npm run verify [-- --json <file>] [--no-probe] [--probe-timeout <seconds>]

Checks the live deployment of site-storage that SITE_CONFIG (or site.config.json, or the
defaults) describes, in the account and endpoint the environment selects: AWS with your
credentials (AWS_PROFILE, SSO, roles), or the emulator (AWS_ENDPOINT_URL). Needs no state.

  --json <file>              also write every check as JSON
  --no-probe                 strictly read-only: skip the replication probe (it writes one small
                             object into the primary bucket, follows it to the replica on AWS,
                             and deletes every version of it on both sides) and, on AWS with a
                             distribution, the CDN reachability probe (three unsigned HTTP GETs)
  --probe-timeout <seconds>  how long the probe waits for replication (default ${DEFAULT_PROBE_TIMEOUT_SECONDS})

Exit codes: 0 every check passes, 1 drift or a failed check, 2 it could not run (no
credentials, a permission missing, the endpoint unreachable, silent or not AWS, nothing
deployed, bad settings, --json not writable): the message says which and what to do.`,
  options: { json: { type: "string" }, "no-probe": { type: "boolean" }, "probe-timeout": { type: "string" } },
} as const;

/** The errors that mean "could not run", with the line a user acts on; anything else is a bug. */
function cannotRun(error: unknown): string | undefined {
  if (error instanceof ConfigError) return `${error.message}\nFix the file and run npm run verify again.`;
  if (error instanceof SynthError) return `the settings cannot be synthesized:\n${error.message}`;
  if (error instanceof CannotRunError || error instanceof DeploymentInputError || error instanceof RunLockBusyError)
    return error.message;
  return undefined;
}

/**
 * Why `--json <file>` could not be written, checked before any AWS call: its folder must exist
 * and be writable, and the path, if it exists, must be a writable file.
 */
export function jsonTargetProblem(file: string): string | undefined {
  const path = resolve(file);
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) return `cannot write --json ${file}: ${folder} is not a folder`;
  } catch {
    return `cannot write --json ${file}: the folder ${folder} does not exist. Create it, or choose another path`;
  }
  const found = statSync(path, { throwIfNoEntry: false });
  if (found?.isDirectory()) return `cannot write --json ${file}: it is a folder. Name a file`;
  const target = found === undefined ? folder : path;
  try {
    accessSync(target, constants.W_OK);
  } catch {
    return `cannot write --json ${file}: ${target} is not writable. Choose another path`;
  }
  return undefined;
}

/** What a run found: the verifier's rows and the probe's, and where it ran. */
type Report = Pick<ConfiguredVerifyResult, "account" | "configSource" | "emulator"> & ObjectProbeResult;

/** The exit code of a verification that ran: 0 when every row passed or is tolerated, else 1. */
export function exitCodeOf(result: { readonly rows: readonly VerifyRow[] }): 0 | 1 {
  return result.rows.every(rowPasses) ? 0 : 1;
}

/** What the command prints after the rows: the verdict, and what it could not show, within `width`. */
export function verdict(result: Report, width = 120): string {
  const where = `account ${result.account}${result.emulator ? " on the emulator" : ""}, settings ${result.configSource}`;
  const failed = result.rows.filter((r) => !rowPasses(r));
  const lines =
    failed.length === 0
      ? [wrap(`OK: ${result.rows.length} checks pass (${where}).`, width)]
      : [
          wrap(`FAILED: ${failed.length} of ${result.rows.length} checks (${where}):`, width),
          failedRows(result.rows, width),
        ];
  if (result.notShown.length > 0)
    lines.push("Not shown by this run:", ...result.notShown.map((line) => wrap(`  - ${line}`, width, "    ")));
  return `${lines.join("\n")}\n`;
}

/** The object and reachability probes after the verification, or what skipping them leaves unshown. */
async function probeAfter(
  verified: ConfiguredVerifyResult,
  env: NodeJS.ProcessEnv,
  options: ProbeOptions | false,
): Promise<ObjectProbeResult> {
  if (options === false)
    return {
      rows: [],
      notShown: [
        "replication of an object (--no-probe: the run was read-only)",
        ...(verified.distributions.length === 0
          ? []
          : ["what the distribution serves (--no-probe: no request was sent to it)"]),
      ],
    };
  const { buckets, tolerances, withObjectWrites } = verified;
  const objects = await probeObjects({
    env,
    source: buckets.primary,
    replica: buckets.replica,
    tolerances,
    withObjectWrites,
    options,
  });
  const served = await probeDistributions(verified.distributions, tolerances, fetch);
  return { rows: [...objects.rows, ...served], notShown: objects.notShown };
}

/** The command: parse, verify, probe, print; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  const timeout =
    typeof args.values["probe-timeout"] === "string"
      ? Number(args.values["probe-timeout"])
      : DEFAULT_PROBE_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1) {
    process.stderr.write(
      `verify: --probe-timeout must be a whole number of seconds, at least 1 (got ${JSON.stringify(args.values["probe-timeout"])})\n\n${SPEC.usage}\n`,
    );
    return 2;
  }
  const json = typeof args.values.json === "string" ? args.values.json : undefined;
  const jsonProblem = json === undefined ? undefined : jsonTargetProblem(json);
  if (jsonProblem !== undefined) {
    process.stderr.write(`verify: could not run: ${jsonProblem}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const probe = args.values["no-probe"] === true ? false : { timeoutSeconds: timeout, progress };
  let result: Report;
  try {
    const verified = await verifyConfiguredDeployment({ env, progress });
    const probed = await probeAfter(verified, env, probe);
    result = {
      ...verified,
      rows: [...verified.rows, ...probed.rows],
      notShown: [...verified.notShown, ...probed.notShown],
    };
  } catch (error) {
    const message = cannotRun(error);
    if (message === undefined) throw error;
    process.stderr.write(`verify: could not run: ${message}\n`);
    return 2;
  }
  const width = reportWidth(process.stdout);
  process.stdout.write(`${rowsTable(result.rows, width)}\n\n${verdict(result, width)}`);
  if (json !== undefined) {
    writeFileSync(
      json,
      `${JSON.stringify(
        {
          account: result.account,
          emulator: result.emulator,
          configSource: result.configSource,
          passed: exitCodeOf(result) === 0,
          checks: result.rows,
          notShown: result.notShown,
        },
        null,
        2,
      )}\n`,
    );
  }
  return exitCodeOf(result);
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
