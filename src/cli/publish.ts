/**
 * `npm run publish [-- <dir>] [--dry-run] [--no-delete] [--wait]`: puts the site's files into
 * the primary bucket of the deployment the settings describe, changed files only, assets before
 * HTML, then invalidates what changed in the distribution.
 * Exit 0: done; 1: some files failed (each named; the rest is published); 2: could not run.
 */
import { runPublish } from "../ops/publish/run-publish";
import { parseCommandLine, runCommand } from "./args";

const SPEC = {
  name: "publish",
  usage: `Usage: npm run publish [-- <dir>] [--dry-run] [--no-delete] [--wait]

Uploads the files of <dir> (default: publish.directory in the settings, "dist") into the primary
bucket of the deployment SITE_CONFIG (or site.config.json, or the defaults) describes, in the
account and endpoint the environment selects (AWS, or the emulator through AWS_ENDPOINT_URL).
Only files whose content (SHA-256) or headers changed go up: assets first, then HTML pages, then
objects whose file is gone are deleted (the bucket keeps their earlier versions). With a
CloudFront distribution, the changed paths that are not fingerprinted are invalidated.

  --dry-run    print every action it would take, and write nothing
  --no-delete  keep objects whose file is gone
  --wait       wait until the invalidation has completed, showing its progress

Exit codes: 0 done, 1 some files failed (each named; the others are published, and running it
again finishes the job), 2 it could not run (no deployment, no credentials, the folder missing
or empty, an unknown content type, an unsafe file name); nothing is written then.`,
  options: { "dry-run": { type: "boolean" }, "no-delete": { type: "boolean" }, wait: { type: "boolean" } },
  maxPositionals: 1,
} as const;

/** The command: parse, publish, exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseCommandLine(SPEC, argv);
  if (!args.run) return args.exitCode;
  return runPublish({
    dir: args.positionals[0],
    dryRun: args.values["dry-run"] === true,
    deleteGone: args.values["no-delete"] !== true,
    wait: args.values.wait === true,
    env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

if (require.main === module) runCommand(SPEC.name, () => main(process.argv.slice(2)));
