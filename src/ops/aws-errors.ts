/**
 * Why an AWS call means a command cannot run, in the words a user acts on: the one place an SDK
 * error is classified, for verify, its probe and publish. {@link cannotRunOf} turns an error
 * into a CannotRunError (the command exits 2) when the endpoint cannot be reached, does not
 * answer or is not AWS, the credentials are missing or refused, or a permission is missing; an
 * answer about the resource (NoSuchBucketPolicy) is left to the caller.
 */
import { actionsOf } from "../common/verify-calls";
import { AwsCallSite, CALL_LIMITS, callOf } from "./aws-clients";

/**
 * Why a command could not run: the AWS side (credentials, endpoint, timeout, not-aws,
 * permission, not-deployed, access: a bucket or listing that cannot be read), or publish's
 * folder (directory, unsafe-names, content-type), found before anything is written.
 */
export type CannotRunReason =
  | "credentials"
  | "endpoint"
  | "timeout"
  | "not-aws"
  | "permission"
  | "not-deployed"
  | "access"
  | "directory"
  | "unsafe-names"
  | "content-type";

/** A command could not run (it exits 2, nothing written); the message says why and what to do. */
export class CannotRunError extends Error {
  readonly reason: CannotRunReason;

  constructor(reason: CannotRunReason, message: string) {
    super(message);
    this.name = "CannotRunError";
    this.reason = reason;
  }
}

/** Node's codes for a connection that could not be made or was cut. */
const NETWORK_CODES = ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"];

/**
 * AWS's error codes for a denied request: S3 and IAM say AccessDenied, KMS and STS
 * AccessDeniedException (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */
const DENIED_CODES = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"];

/**
 * Credentials that are missing, unknown, expired or signed wrongly
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
 */
const CREDENTIAL_CODES = [
  "CredentialsProviderError",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "ExpiredToken",
  "ExpiredTokenException",
  "TokenRefreshRequired",
];

/** What to do about credentials, in one sentence. */
export const CREDENTIALS_HINT =
  "set AWS_PROFILE, or sign in (aws sso login), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the account to check";

/** The fields of an SDK or Node error the classification reads. */
interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly cause?: { readonly code?: string };
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * True when an HTTP answer cannot have come from AWS: every AWS answer carries a request id
 * (x-amz-request-id or x-amzn-RequestId; moto sends one too), and an AWS error body always
 * parses and names its code. A 404 page or a body that is not JSON/XML is someone else's server.
 */
function notAws(err: SdkError): boolean {
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined || err.$metadata?.requestId !== undefined) return false;
  return err.name === "SyntaxError" || ["Unknown", "UnknownError", "NotFound"].includes(err.message ?? "");
}

/**
 * Classifies an error thrown by an AWS call: a CannotRunError saying which and what to do
 * when the run cannot go on (unreachable, timed out, not AWS, credentials refused, a permission
 * missing), else undefined (an answer about the resource, such as NoSuchBucketPolicy: a row).
 * `call` names the call when the error does not (one that did not come through AwsClients).
 */
export function cannotRunOf(error: unknown, call?: AwsCallSite): CannotRunError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  if (error instanceof CannotRunError) return error;
  const err = error as SdkError;
  const site = callOf(error) ?? call;
  const endpoint = site?.endpoint ?? "the AWS endpoint";
  const command = site?.command ? `${site.command.replace(/Command$/, "")}` : "a call";
  // Where the code is missing (an error re-wrapped by the SDK), the message still carries it.
  const code =
    err.Code ?? err.code ?? err.cause?.code ?? NETWORK_CODES.find((c) => (err.message ?? "").includes(c)) ?? "";
  if (err.name === "TimeoutError" || code === "ETIMEDOUT") {
    return new CannotRunError(
      "timeout",
      `${endpoint} did not answer ${command} within ${CALL_LIMITS.requestTimeoutMs / 1000} s ` +
        `(${CALL_LIMITS.maxAttempts} attempts): check the network and AWS_ENDPOINT_URL, or restart the emulator (npm run emulator)`,
    );
  }
  if (NETWORK_CODES.includes(code)) {
    return new CannotRunError(
      "endpoint",
      `cannot reach ${endpoint} for ${command} (${code}): check AWS_ENDPOINT_URL and the network, or start the emulator (npm run emulator)`,
    );
  }
  if (notAws(err)) {
    return new CannotRunError(
      "not-aws",
      `${endpoint} is not an AWS endpoint: it answered ${command} with HTTP ${err.$metadata?.httpStatusCode} and no AWS ` +
        "request id. Check AWS_ENDPOINT_URL (unset it for AWS; for the emulator use the URL npm run emulator prints)",
    );
  }
  const name = err.name ?? "";
  // A HEAD request's 403 has no body, so no error code: the SDK names it after the status.
  const headDenied = err.$metadata?.httpStatusCode === 403 && ["Forbidden", "403"].includes(name);
  if (DENIED_CODES.includes(name) || DENIED_CODES.includes(code) || headDenied) {
    const actions = (site && actionsOf(site.command)) ?? [];
    const needed = actions.length > 0 ? actions.join(" or ") : "the permission for this call";
    const on = site?.resource === undefined ? "" : ` on ${site.resource}`;
    return new CannotRunError(
      "permission",
      `AWS denied ${command}${on} at ${endpoint}: the credentials lack ${needed}. Grant it to the identity the command runs as ` +
        "(the README lists the permissions each command needs), or use credentials that have it",
    );
  }
  if (CREDENTIAL_CODES.includes(name) || CREDENTIAL_CODES.includes(code)) {
    const what =
      name === "CredentialsProviderError" ? "no AWS credentials were found" : `AWS refused the credentials (${name})`;
    return new CannotRunError("credentials", `${what} at ${endpoint}: ${CREDENTIALS_HINT}`);
  }
  return undefined;
}
