import type { ACMClient } from "@aws-sdk/client-acm";
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";

/** The environment AWS clients are configured from: a child's, the emulator's, or the user's. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

type AnyClient = S3Client | KMSClient | IAMClient | STSClient | CloudFrontClient | ACMClient;
type Service = "S3" | "KMS" | "IAM" | "STS" | "CLOUDFRONT" | "ACM";

/**
 * Each client package is loaded when its first client is made, not when this module is: most
 * commands use two or three of the six, and under tsx each package costs 10–50 ms to load once
 * the first has loaded the SDK's shared core (measured: CloudFront 50 ms, IAM 30 ms, ACM 15 ms,
 * KMS 10 ms), time a command pays before its first call.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = {
  acm: () => require("@aws-sdk/client-acm") as typeof import("@aws-sdk/client-acm"),
  cloudfront: () => require("@aws-sdk/client-cloudfront") as typeof import("@aws-sdk/client-cloudfront"),
  iam: () => require("@aws-sdk/client-iam") as typeof import("@aws-sdk/client-iam"),
  kms: () => require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms"),
  s3: () => require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3"),
  sts: () => require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * How long one attempt may take, and how many attempts a call gets. The SDK sets no timeout by
 * default, so an endpoint that accepts a connection and never answers hangs a call for ever
 * (measured on the emulator's port with a silent listener). With these, such a call fails with
 * TimeoutError after at most 3 attempts of 6 s each (plus the standard strategy's short
 * back-off): about 18 s, inside the 30 s `npm run verify` promises.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 * https://github.com/smithy-lang/smithy-typescript/blob/main/packages/types/src/http/httpHandlerInitialization.ts
 */
export const CALL_LIMITS = {
  /** Milliseconds to establish the TCP (and TLS) connection. */
  connectionTimeoutMs: 3_000,
  /** Milliseconds for the request and its whole response. */
  requestTimeoutMs: 6_000,
  /** Attempts of one call, the first included (the SDK's standard retry strategy). */
  maxAttempts: 3,
} as const;

/** Where a failed call went: attached to the error the SDK throws, read by {@link callOf}. */
export interface AwsCallSite {
  /** The SDK command, e.g. "ListAliasesCommand". */
  readonly command: string;
  /** The endpoint asked: the configured URL, or "AWS KMS in us-east-1". */
  readonly endpoint: string;
  /** The bucket, key or role the call was about, when it names one. */
  readonly resource?: string;
}

/** The bucket, key or role a command's input names. */
function resourceOf(args: unknown): string | undefined {
  const input = (args as { input?: Record<string, unknown> } | undefined)?.input ?? {};
  const named = input.Bucket ?? input.KeyId ?? input.RoleName;
  return typeof named === "string" ? named : undefined;
}

const CALL_SITE = Symbol("awsCallSite");

/** The part of every client's middleware stack used here: one step that sees each call's outcome. */
interface MiddlewareStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { readonly commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { readonly step: "initialize"; readonly name: string },
  ): void;
}

/** The command and endpoint of an error thrown by a client of {@link AwsClients}, if it is one. */
export function callOf(error: unknown): AwsCallSite | undefined {
  return typeof error === "object" && error !== null ? (error as { [CALL_SITE]?: AwsCallSite })[CALL_SITE] : undefined;
}

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

  private endpointOf(service: Service): string | undefined {
    return this.env[`AWS_ENDPOINT_URL_${service}`] || this.env.AWS_ENDPOINT_URL || undefined;
  }

  private config(service: Service, region: string) {
    const endpoint = this.endpointOf(service);
    const accessKeyId = this.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = this.env.AWS_SECRET_ACCESS_KEY;
    const credentials =
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken: this.env.AWS_SESSION_TOKEN || undefined }
        : undefined;
    return {
      region,
      endpoint,
      credentials,
      maxAttempts: CALL_LIMITS.maxAttempts,
      requestHandler: {
        connectionTimeout: CALL_LIMITS.connectionTimeoutMs,
        requestTimeout: CALL_LIMITS.requestTimeoutMs,
        // Without it a request past its timeout only logs a warning and keeps waiting.
        throwOnRequestTimeout: true,
      },
    };
  }

  /** The cached client of `service` in `region`, whose errors name their command and endpoint. */
  private get<T extends AnyClient>(service: Service, region: string, make: () => T): T {
    const key = `${service}:${region}`;
    let client = this.cache.get(key);
    if (client === undefined) {
      const created = make();
      const endpoint = this.endpointOf(service) ?? `AWS ${service} in ${region}`;
      (created.middlewareStack as unknown as MiddlewareStack).add(
        (next, context) => async (args) => {
          try {
            return await next(args);
          } catch (error) {
            if (typeof error === "object" && error !== null)
              Object.defineProperty(error, CALL_SITE, {
                value: { command: context.commandName ?? "", endpoint, resource: resourceOf(args) },
              });
            throw error;
          }
        },
        { step: "initialize", name: "siteCallSite" },
      );
      client = created;
      this.cache.set(key, client);
    }
    return client as T;
  }

  /** S3 in `region` (S3 answers for a bucket in the bucket's region). */
  s3(region: string): S3Client {
    const forcePathStyle = envFlag(this.env.AWS_S3_USE_PATH_STYLE);
    return this.get("S3", region, () => new (sdk.s3().S3Client)({ ...this.config("S3", region), forcePathStyle }));
  }

  /** KMS in `region`: keys are regional, so a key is read through its own region's client. */
  kms(region: string): KMSClient {
    return this.get("KMS", region, () => new (sdk.kms().KMSClient)(this.config("KMS", region)));
  }

  /** IAM (global; `region` selects the partition's endpoint). */
  iam(region: string): IAMClient {
    return this.get("IAM", region, () => new (sdk.iam().IAMClient)(this.config("IAM", region)));
  }

  /** STS in `region`. */
  sts(region: string): STSClient {
    return this.get("STS", region, () => new (sdk.sts().STSClient)(this.config("STS", region)));
  }

  /**
   * CloudFront (global: its API answers in us-east-1 whatever `region` the caller names, so one
   * client serves every distribution of the partition).
   */
  cloudfront(region = "us-east-1"): CloudFrontClient {
    return this.get(
      "CLOUDFRONT",
      region,
      () => new (sdk.cloudfront().CloudFrontClient)(this.config("CLOUDFRONT", region)),
    );
  }

  /** ACM in `region`: certificates are regional (CloudFront's are in us-east-1). */
  acm(region: string): ACMClient {
    return this.get("ACM", region, () => new (sdk.acm().ACMClient)(this.config("ACM", region)));
  }

  /** Closes every client's connections, so the process can exit promptly. */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}
