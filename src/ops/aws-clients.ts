import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";

/** The environment AWS clients are configured from: a child's, the emulator's, or the user's. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

type AnyClient = S3Client | KMSClient | IAMClient | STSClient | CloudFrontClient;

/** True for "true" or "1", in any case: what the AWS CLI and SDKs accept for a boolean variable. */
function envFlag(value: string | undefined): boolean {
  return ["true", "1"].includes((value ?? "").trim().toLowerCase());
}

/**
 * The one factory of AWS SDK v3 clients, one per service and region, configured from an
 * explicit environment (never read from `process.env` behind the caller's back). The endpoint
 * is chosen as Terraform's AWS provider chooses it: `AWS_ENDPOINT_URL_<SERVICE>` first, then
 * `AWS_ENDPOINT_URL`; S3 is path-style when `AWS_S3_USE_PATH_STYLE` is true. Without
 * `AWS_ACCESS_KEY_ID` the SDK's default credential chain applies (profiles, SSO, instance and
 * web-identity roles), as on a user's machine against a real account.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export class AwsClients {
  private readonly env: AwsEnv;
  private readonly cache = new Map<string, AnyClient>();

  constructor(env: AwsEnv) {
    this.env = env;
  }

  private config(service: "S3" | "KMS" | "IAM" | "STS" | "CLOUDFRONT", region: string) {
    const endpoint = this.env[`AWS_ENDPOINT_URL_${service}`] || this.env.AWS_ENDPOINT_URL || undefined;
    const accessKeyId = this.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = this.env.AWS_SECRET_ACCESS_KEY;
    const credentials =
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken: this.env.AWS_SESSION_TOKEN || undefined }
        : undefined;
    return { region, endpoint, credentials };
  }

  private get<T extends AnyClient>(key: string, make: () => T): T {
    let client = this.cache.get(key);
    if (client === undefined) {
      client = make();
      this.cache.set(key, client);
    }
    return client as T;
  }

  /** S3 in `region` (S3 answers for a bucket in the bucket's region). */
  s3(region: string): S3Client {
    const forcePathStyle = envFlag(this.env.AWS_S3_USE_PATH_STYLE);
    return this.get(`s3:${region}`, () => new S3Client({ ...this.config("S3", region), forcePathStyle }));
  }

  /** KMS in `region`: keys are regional, so a key is read through its own region's client. */
  kms(region: string): KMSClient {
    return this.get(`kms:${region}`, () => new KMSClient(this.config("KMS", region)));
  }

  /** IAM (global; `region` selects the partition's endpoint). */
  iam(region: string): IAMClient {
    return this.get(`iam:${region}`, () => new IAMClient(this.config("IAM", region)));
  }

  /** STS in `region`. */
  sts(region: string): STSClient {
    return this.get(`sts:${region}`, () => new STSClient(this.config("STS", region)));
  }

  /**
   * CloudFront (global: its API answers in us-east-1 whatever `region` the caller names, so one
   * client serves every distribution of the partition).
   */
  cloudfront(region = "us-east-1"): CloudFrontClient {
    return this.get(`cloudfront:${region}`, () => new CloudFrontClient(this.config("CLOUDFRONT", region)));
  }

  /** Closes every client's connections, so the process can exit promptly. */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}
