import { AwsClients } from "../aws-clients";
import type { EmulatorDifference } from "../emulator/differences";
import { Declaration } from "./declaration";
import { AliasDirectory } from "../kms-aliases";

/** A bucket of the object probe: its name, region and the key its objects must be encrypted with. */
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
}
