import { AwsClients } from "../aws-clients";
import type { EmulatorDifference, EmulatorDifferenceId } from "../emulator/differences";
import { Declaration } from "./declaration";
import { AliasDirectory } from "../kms-aliases";

/** A bucket the probe writes to: its name, region and the key its objects must be encrypted with. */
export interface BucketTarget {
  /** Its part in the deployment, e.g. "primary". */
  readonly role: string;
  readonly name: string;
  readonly region: string;
  /** The ARN of the key its default encryption uses (from the outputs). */
  readonly keyArn?: string;
}

/** What every reader needs: the declaration, the clients, the alias lister, the tolerances. */
export class VerifyContext {
  constructor(
    readonly declaration: Declaration,
    readonly clients: AwsClients,
    readonly aliases: AliasDirectory,
    /** The known emulator differences passed in by the caller; empty on AWS. */
    readonly tolerances: readonly EmulatorDifference[],
  ) {}

  /** True when the caller passed the difference `id`: the run is on an emulator that has it. */
  tolerates(id: EmulatorDifferenceId): boolean {
    return this.tolerances.some((difference) => difference.id === id);
  }
}
