import { NOT_SET } from "./verify-rows";

/**
 * Every way the emulator (moto 5.2, measured: ../shared/EMULATOR.md) answers differently from AWS
 * that the verifier accounts for, named once, each by the Terraform resource type and attribute
 * it is about. Nothing here changes what the stack declares or what the verifier expects: a
 * tolerated row keeps the declared expectation, shows what the emulator returned, and passes only
 * when `emulator` is true and the value is exactly the one listed here.
 */

/** One known emulator difference. */
export interface EmulatorDifference {
  /** Stable id, used by the checks. */
  readonly id: EmulatorDifferenceId;
  /**
   * `read-back`: the emulator stores or returns a setting differently, so it shows in what the
   * verifier reads and in a re-plan after apply; `enforcement`: the setting reads back as declared
   * but the emulator acts on it differently (no re-plan difference).
   */
  readonly kind: "read-back" | "enforcement";
  /** The Terraform resource type whose live value differs. */
  readonly resourceType: string;
  /** The attribute path (Terraform names) that differs. */
  readonly attribute: string;
  /** What the emulator does, as one sentence. */
  readonly behaviour: string;
  /**
   * The exact value the verifier reads from the emulator for this attribute, rendered as in
   * the row's `found` column. Absent when the difference is handled by a procedure rather than
   * by tolerating a value (see `handling`).
   */
  readonly emulatorValue?: string;
  /** What the verifier does about it. */
  readonly handling: string;
}

/** The ids of {@link EMULATOR_DIFFERENCES}. */
export type EmulatorDifferenceId =
  | "replication-delete-marker-status"
  | "replication-source-selection-criteria"
  | "bucket-policy-conditions-ignored";

/** The list. The README's emulator section and the re-plan tolerance should name the same items. */
export const EMULATOR_DIFFERENCES: readonly EmulatorDifference[] = [
  {
    id: "replication-delete-marker-status",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    attribute: "rule.delete_marker_replication.status",
    behaviour: "moto reads DeleteMarkerReplication back as Disabled whatever was set",
    emulatorValue: "Disabled",
    handling: "the row expects the declared status and passes on the emulator only when it reads back exactly Disabled",
  },
  {
    id: "replication-source-selection-criteria",
    kind: "read-back",
    resourceType: "aws_s3_bucket_replication_configuration",
    attribute: "rule.source_selection_criteria",
    behaviour: "moto does not return SourceSelectionCriteria",
    emulatorValue: NOT_SET,
    handling: "the row expects the declared criteria and passes on the emulator only when none is returned",
  },
  {
    id: "bucket-policy-conditions-ignored",
    kind: "enforcement",
    resourceType: "aws_s3_bucket_policy",
    attribute: "policy",
    behaviour: "moto enforces bucket-policy statements with principal * but ignores their conditions, "
      + "so the TLS-only deny refuses every object GET and PUT",
    handling: "on the emulator only, the object round trip lifts the primary bucket's policy and puts the "
      + "identical document back in a finally block, then checks it reads back equal",
  },
];

/** The difference with this id (every id is in the list). */
export function emulatorDifference(id: EmulatorDifferenceId): EmulatorDifference {
  const found = EMULATOR_DIFFERENCES.find((difference) => difference.id === id);
  if (found === undefined) throw new Error(`unknown emulator difference "${id}"`);
  return found;
}

/**
 * Decides a row that one difference may affect: a plain comparison, except that on the emulator
 * the exact emulator value also passes, with the difference named in `found`.
 */
export function judgeWithEmulatorDifference(
  id: EmulatorDifferenceId, expected: string, found: string, emulator: boolean,
): { found: string; pass: boolean } {
  if (found === expected) return { found, pass: true };
  const difference = emulatorDifference(id);
  if (emulator && difference.emulatorValue !== undefined && found === difference.emulatorValue) {
    return { found: `${found} (known emulator difference: ${difference.behaviour})`, pass: true };
  }
  return { found, pass: false };
}
