import { GetBucketLocationCommand } from "@aws-sdk/client-s3";
import { AwsClients } from "../aws-clients";
import { DeclaredResource, Declaration } from "./declaration";
import { CallResult, callAws } from "./aws-call";

/** One bucket under verification. */
export interface BucketTarget {
  /** Its part in the deployment, e.g. "primary", "replica logs". */
  readonly role: string;
  /** The bucket name (from the outputs). */
  readonly name: string;
  /** Site buckets hold the site (SSE-KMS, logged); log buckets hold access logs (SSE-S3). */
  readonly kind: "site" | "log";
  /** The declared `aws_s3_bucket`. */
  readonly resource: DeclaredResource;
  /** The region of its provider, as declared. */
  readonly region: string;
  /** Site buckets: the ARN of the same-region key (from the outputs). */
  readonly keyArn?: string;
}

/**
 * S3's region from `GetBucketLocation`: us-east-1 answers with no constraint, and the legacy
 * "EU" means eu-west-1.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
function regionFromLocation(constraint: string | undefined | null): string {
  if (constraint === undefined || constraint === null || constraint === "") return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

/** What every check needs: the declaration, the clients, the outputs, the emulator flag. */
export class VerifyContext {
  private readonly locations = new Map<string, Promise<CallResult<string>>>();

  constructor(
    readonly declaration: Declaration,
    readonly clients: AwsClients,
    readonly outputs: Readonly<Record<string, string>>,
    readonly emulator: boolean,
  ) {}

  /**
   * The live region of a bucket (GetBucketLocation, asked once per bucket). `askRegion` is the
   * region whose endpoint is asked; any region answers for any bucket.
   */
  location(bucketName: string, askRegion: string): Promise<CallResult<string>> {
    let found = this.locations.get(bucketName);
    if (found === undefined) {
      found = callAws(async () =>
        regionFromLocation(
          (await this.clients.s3(askRegion).send(new GetBucketLocationCommand({ Bucket: bucketName })))
            .LocationConstraint,
        ),
      );
      this.locations.set(bucketName, found);
    }
    return found;
  }
}
