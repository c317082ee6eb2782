import { EMULATOR_DIFFERENCES, EmulatorDifference, EmulatorDifferenceId } from "../emulator/differences";
import { NOT_SET } from "./check-row";

/**
 * How the verifier accounts for the emulator's known differences. The list itself is
 * EMULATOR_DIFFERENCES in `emulator/differences.ts`, the one place they are named. Nothing here
 * changes what the stack declares or what the verifier expects: a tolerated row keeps the
 * declared expectation, shows what the emulator returned, and passes only when `emulator` is
 * true and the value is exactly the one listed.
 */

/** The difference with this id (every id is in the list). */
function emulatorDifference(id: EmulatorDifferenceId): EmulatorDifference {
  const found = EMULATOR_DIFFERENCES.find((difference) => difference.id === id);
  if (found === undefined) throw new Error(`unknown emulator difference "${id}"`);
  return found;
}

/**
 * Decides a row that one difference may affect: a plain comparison, except that on the emulator
 * the exact emulator value also passes, with the difference named in `found`.
 */
export function judgeWithEmulatorDifference(
  id: EmulatorDifferenceId,
  expected: string,
  found: string,
  emulator: boolean,
): { found: string; pass: boolean } {
  if (found === expected) return { found, pass: true };
  const difference = emulatorDifference(id);
  const emulatorValue = difference.emulatorValue === null ? NOT_SET : difference.emulatorValue;
  if (emulator && emulatorValue !== undefined && found === emulatorValue) {
    return { found: `${found} (known emulator difference: ${difference.behaviour})`, pass: true };
  }
  return { found, pass: false };
}
