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

/** A distribution of the reachability probe: its live domain, its S3 origin's domain and its root object. */
export interface DistributionTarget {
  /** Its Terraform address, e.g. aws_cloudfront_distribution.site_cdn_distribution_1234. */
  readonly address: string;
  readonly domain: string;
  readonly originDomain: string;
  readonly rootObject: string;
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
