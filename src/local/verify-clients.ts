import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";

/**
 * AWS SDK v3 clients built from an explicit environment (not `process.env`), one per service
 * and region. The emulator is selected exactly as Terraform selects it: `AWS_ENDPOINT_URL`
 * (or a service-specific `AWS_ENDPOINT_URL_S3` …), and `AWS_S3_USE_PATH_STYLE=true`.
 * Without `AWS_ACCESS_KEY_ID` in the environment the SDK's default credential chain applies
 * (profiles, SSO, instance roles), as on a user's machine against a real account.
 */
export class AwsClients {
  private readonly env: Record<string, string | undefined>;
  private readonly cache = new Map<string, S3Client | KMSClient | IAMClient | STSClient>();

  constructor(env: Record<string, string | undefined>) {
    this.env = env;
  }

  private config(service: "S3" | "KMS" | "IAM" | "STS", region: string) {
    const endpoint = this.env[`AWS_ENDPOINT_URL_${service}`] || this.env.AWS_ENDPOINT_URL || undefined;
    const accessKeyId = this.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = this.env.AWS_SECRET_ACCESS_KEY;
    const credentials = accessKeyId && secretAccessKey
      ? { accessKeyId, secretAccessKey, sessionToken: this.env.AWS_SESSION_TOKEN || undefined }
      : undefined;
    return { region, endpoint, credentials };
  }

  private get<T extends S3Client | KMSClient | IAMClient | STSClient>(key: string, make: () => T): T {
    let client = this.cache.get(key);
    if (client === undefined) {
      client = make();
      this.cache.set(key, client);
    }
    return client as T;
  }

  /** S3 in `region` (path-style when `AWS_S3_USE_PATH_STYLE` is true). */
  s3(region: string): S3Client {
    const pathStyle = ["true", "1"].includes((this.env.AWS_S3_USE_PATH_STYLE ?? "").toLowerCase());
    return this.get(`s3:${region}`, () => new S3Client({ ...this.config("S3", region), forcePathStyle: pathStyle }));
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

  /** Closes every client's connections, so the process can exit promptly. */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}
