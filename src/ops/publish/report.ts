/**
 * What `npm run publish` prints: in a dry run, every action it would take; after a publish, the
 * summary (uploaded, unchanged, deleted, bytes, invalidated paths, time) and each failure.
 */
import { listed } from "./errors";
import { formatBytes } from "./progress";
import type { InvalidationOutcome, PublishReport } from "./publish";
import type { PublishTarget } from "./target";

/** 0 when everything was published, 1 when a file (or the invalidation) failed. */
export function exitCodeOf(report: Pick<PublishReport, "failed">): 0 | 1 {
  return report.failed.length === 0 ? 0 : 1;
}

function invalidationLine(outcome: InvalidationOutcome, dryRun: boolean): string {
  const paths = outcome.paths;
  const what =
    paths === undefined
      ? ""
      : paths.collapsed
        ? `/* (${paths.individual} paths collapsed into one wildcard)`
        : paths.paths.join(" ");
  if (outcome.sent)
    return `invalidated ${paths?.paths.length ?? 0} path(s): ${what} (invalidation ${outcome.id}${outcome.completed ? ", completed" : ", in progress"})`;
  if (dryRun && outcome.why === "dry run") return `would invalidate ${paths?.paths.length ?? 0} path(s): ${what}`;
  return `no invalidation: ${outcome.why}`;
}

/** Every action of a dry run, one line each, in the order a publish would take them. */
export function dryRunText(report: PublishReport, target: PublishTarget): string {
  const { plan } = report;
  const lines = [
    `Dry run: nothing is written. Target s3://${target.bucket} (${target.region}, account ${target.account}).`,
  ];
  lines.push(...report.notes.map((note) => `note: ${note}`));
  for (const file of [...plan.assets, ...plan.html])
    lines.push(
      `would upload ${file.key}  ${formatBytes(file.size)}  ${file.contentType}  ${file.cacheControl}${file.html ? "  (html, after the assets)" : ""}`,
    );
  for (const key of plan.deletes) lines.push(`would delete ${key} (current version; history kept)`);
  for (const key of plan.kept) lines.push(`would keep ${key} (its file is gone; --no-delete)`);
  lines.push(`unchanged: ${plan.unchanged.length} file(s)`);
  lines.push(invalidationLine(report.invalidation, true));
  return `${lines.join("\n")}\n`;
}

/** The summary after a publish. */
export function summaryText(report: PublishReport, target: PublishTarget, seconds: number): string {
  const bytes = report.uploaded.reduce((sum, file) => sum + file.size, 0);
  const lines = [
    `${exitCodeOf(report) === 0 ? "Published" : "Published partly"} to s3://${target.bucket} (account ${target.account}) in ${seconds.toFixed(1)} s:`,
    `  uploaded ${report.uploaded.length} (${formatBytes(bytes)}), unchanged ${report.plan.unchanged.length}, deleted ${report.deleted.length}` +
      (report.plan.kept.length > 0 ? `, kept ${report.plan.kept.length} (--no-delete)` : ""),
    `  ${invalidationLine(report.invalidation, false)}`,
  ];
  if (report.deletesSkipped !== undefined)
    lines.push(`  ${report.plan.deletes.length} delete(s) not done: ${report.deletesSkipped}`);
  if (report.failed.length > 0)
    lines.push(
      `FAILED: ${report.failed.length} item(s); the rest is published, and running the command again finishes the job:`,
      listed(report.failed, 200),
    );
  return `${lines.join("\n")}\n`;
}
