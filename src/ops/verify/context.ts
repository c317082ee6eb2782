import { AwsClients } from "../aws-clients";
import type { EmulatorDifference } from "../emulator/differences";
import { Declaration } from "./declaration";
import { AliasDirectory } from "../kms-aliases";

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
