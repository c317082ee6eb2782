import { GetBucketReplicationCommand, ReplicationRule } from "@aws-sdk/client-s3";
import type { CheckRow } from "./check-row";
import type { VerifyContext } from "./context";
import { jsonBlock } from "./declaration";
import { EmulatorDifferenceId } from "../emulator/differences";
import { judgeWithEmulatorDifference } from "./emulator-notes";
import { filterFromApi, filterFromTerraform } from "./lifecycle";
import { callAws } from "./aws-call";
import { NOT_SET, compact, defined, checkRow } from "./check-row";

/**
 * Replication rules compared field by field, from the Terraform arguments of
 * `aws_s3_bucket_replication_configuration` and from `GetBucketReplication`. Each field is
 * rendered to one cell; two fields are equal when their cells are. Filters are normalised as
 * for lifecycle rules (`filter {}` and `Prefix: ""` both select every object).
 */

/** The fields of a rule, in table order, with their labels. */
const REPLICATION_FIELDS = [
  ["status", "status"],
  ["priority", "priority"],
  ["filter", "filter"],
  ["destinationBucket", "destination bucket"],
  ["storageClass", "storage class"],
  ["replicaKmsKeyId", "replica KMS key"],
  ["account", "destination account"],
  ["accessControlTranslation", "replica owner override"],
  ["deleteMarkerReplication", "delete marker replication"],
  ["sourceSelectionCriteria", "source selection criteria"],
  ["existingObjectReplication", "existing object replication"],
  ["replicationTime", "replication time control"],
  ["metrics", "replication metrics"],
] as const;

/** A field of a rule. */
export type ReplicationField = (typeof REPLICATION_FIELDS)[number][0];

/** A rule in normal form: its ID and one cell per field (NOT_SET when absent). */
export interface NormalReplicationRule {
  readonly id: string;
  readonly fields: Readonly<Record<ReplicationField, string>>;
}

/** The fields the emulator is known to read back differently, and the difference that says so. */
const EMULATOR_FIELDS: Partial<Record<ReplicationField, EmulatorDifferenceId>> = {
  deleteMarkerReplication: "replication-delete-marker-status",
  sourceSelectionCriteria: "replication-source-selection-criteria",
};

type Raw = Record<string, unknown>;

const cell = (value: unknown): string => {
  if (value === undefined || value === null || value === "") return NOT_SET;
  if (typeof value === "object" && Object.keys(defined(value as Raw)).length === 0) return NOT_SET;
  return compact(value);
};
const status = (b: Raw | undefined) => b?.status as string | undefined;
const minutes = (b: Raw | undefined) => (b?.minutes === undefined ? undefined : Number(b.minutes));

/** One declared rule (references resolved) in normal form. */
export function replicationRuleFromTerraform(rule: Raw): NormalReplicationRule {
  const destination = jsonBlock(rule.destination) ?? {};
  const selection = jsonBlock(rule.source_selection_criteria);
  const rtc = jsonBlock(destination.replication_time);
  const metrics = jsonBlock(destination.metrics);
  return {
    id: String(rule.id ?? ""),
    fields: {
      status: cell(rule.status),
      priority: cell(rule.priority),
      filter: cell(filterFromTerraform(rule.filter, rule.prefix)),
      destinationBucket: cell(destination.bucket),
      storageClass: cell(destination.storage_class),
      replicaKmsKeyId: cell(jsonBlock(destination.encryption_configuration)?.replica_kms_key_id),
      account: cell(destination.account),
      accessControlTranslation: cell(jsonBlock(destination.access_control_translation)?.owner),
      deleteMarkerReplication: cell(status(jsonBlock(rule.delete_marker_replication))),
      sourceSelectionCriteria: cell(
        selection &&
          defined({
            SseKmsEncryptedObjects: status(jsonBlock(selection.sse_kms_encrypted_objects)),
            ReplicaModifications: status(jsonBlock(selection.replica_modifications)),
          }),
      ),
      existingObjectReplication: cell(status(jsonBlock(rule.existing_object_replication))),
      replicationTime: cell(rtc && defined({ Status: status(rtc), Minutes: minutes(jsonBlock(rtc.time)) })),
      metrics: cell(
        metrics && defined({ Status: status(metrics), Minutes: minutes(jsonBlock(metrics.event_threshold)) }),
      ),
    },
  };
}

/** One live rule (`GetBucketReplication`) in normal form. */
export function replicationRuleFromApi(rule: ReplicationRule): NormalReplicationRule {
  const destination = rule.Destination;
  const selection = rule.SourceSelectionCriteria;
  return {
    id: rule.ID ?? "",
    fields: {
      status: cell(rule.Status),
      priority: cell(rule.Priority),
      filter: cell(filterFromApi(rule.Filter as Raw | undefined, rule.Prefix)),
      destinationBucket: cell(destination?.Bucket),
      storageClass: cell(destination?.StorageClass),
      replicaKmsKeyId: cell(destination?.EncryptionConfiguration?.ReplicaKmsKeyID),
      account: cell(destination?.Account),
      accessControlTranslation: cell(destination?.AccessControlTranslation?.Owner),
      deleteMarkerReplication: cell(rule.DeleteMarkerReplication?.Status),
      sourceSelectionCriteria: cell(
        selection &&
          defined({
            SseKmsEncryptedObjects: selection.SseKmsEncryptedObjects?.Status,
            ReplicaModifications: selection.ReplicaModifications?.Status,
          }),
      ),
      existingObjectReplication: cell(rule.ExistingObjectReplication?.Status),
      replicationTime: cell(
        destination?.ReplicationTime &&
          defined({
            Status: destination.ReplicationTime.Status,
            Minutes: destination.ReplicationTime.Time?.Minutes,
          }),
      ),
      metrics: cell(
        destination?.Metrics &&
          defined({
            Status: destination.Metrics.Status,
            Minutes: destination.Metrics.EventThreshold?.Minutes,
          }),
      ),
    },
  };
}

/** One line of a replication comparison. */
export interface ReplicationComparison {
  readonly id: string;
  /** The field's label, or "(rule)" for a rule missing on one side. */
  readonly field: string;
  readonly expected: string;
  readonly found: string;
  readonly pass: boolean;
}

/**
 * Compares rules by ID, field by field. A field gets a line when either side sets it, except
 * `priority`, compared only when declared (S3 assigns 0 to a rule that does not say). On the
 * emulator, the fields of EMULATOR_DIFFERENCES pass with exactly the emulator's known value,
 * marked in `found`; everywhere else they must equal the declaration.
 */
export function compareReplicationRules(
  declared: readonly NormalReplicationRule[],
  live: readonly NormalReplicationRule[],
  emulator: boolean,
): ReplicationComparison[] {
  const remaining = [...live];
  const lines: ReplicationComparison[] = [];
  for (const rule of declared) {
    const at = remaining.findIndex((candidate) => candidate.id === rule.id);
    if (at < 0) {
      lines.push({ id: rule.id, field: "(rule)", expected: "(declared)", found: "(no such rule)", pass: false });
      continue;
    }
    const match = remaining.splice(at, 1)[0];
    for (const [field, label] of REPLICATION_FIELDS) {
      const expected = rule.fields[field];
      const found = match.fields[field];
      if (field === "priority" ? expected === NOT_SET : expected === NOT_SET && found === NOT_SET) continue;
      const tolerated = EMULATOR_FIELDS[field];
      const judged = tolerated
        ? judgeWithEmulatorDifference(tolerated, expected, found, emulator)
        : { found, pass: expected === found };
      lines.push({ id: rule.id, field: label, expected, found: judged.found, pass: judged.pass });
    }
  }
  for (const extra of remaining) {
    lines.push({
      id: extra.id,
      field: "(rule)",
      expected: "(not declared)",
      found: compact(extra.fields),
      pass: false,
    });
  }
  return lines;
}

/**
 * Each declared replication configuration, read from its source bucket through the source's
 * region: the role, then every rule field by field.
 */
export async function checkReplication(ctx: VerifyContext): Promise<CheckRow[]> {
  const { declaration } = ctx;
  const perConfiguration = declaration
    .resources("aws_s3_bucket_replication_configuration")
    .map(async (configuration) => {
      const bucketName = declaration.resolvedString(configuration, "bucket") ?? "";
      const declaredRules = (declaration.resolved(configuration, "rule") as Raw[] | Raw | undefined) ?? [];
      const declared = (Array.isArray(declaredRules) ? declaredRules : [declaredRules]).map(
        replicationRuleFromTerraform,
      );
      const live = await callAws(
        async () =>
          (
            await ctx.clients
              .s3(declaration.regionOf(configuration))
              .send(new GetBucketReplicationCommand({ Bucket: bucketName }))
          ).ReplicationConfiguration,
      );
      if (!live.ok || live.value === undefined) {
        const found = live.ok ? "(no replication configuration)" : live.error;
        return [
          checkRow("replication configuration", bucketName, `${declared.length} rule(s) as declared`, found, false),
        ];
      }
      return [
        checkRow(
          "replication role",
          bucketName,
          declaration.resolvedString(configuration, "role") ?? NOT_SET,
          live.value.Role ?? NOT_SET,
        ),
        ...compareReplicationRules(declared, (live.value.Rules ?? []).map(replicationRuleFromApi), ctx.emulator).map(
          (line) =>
            checkRow(`replication rule ${line.id}: ${line.field}`, bucketName, line.expected, line.found, line.pass),
        ),
      ];
    });
  return (await Promise.all(perConfiguration)).flat();
}
