/**
 * The verifier's error types and their wording. Each means "the verifier could not run"
 * (`npm run verify` exits 2): the input is not a synthesized stack, AWS cannot be reached or
 * the credentials are refused, or nothing is deployed. A failed check is never an error: it is
 * a row with `pass: false` (exit 1).
 */

/** The synthesized JSON is not what the verifier can read. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}

/** Why the verifier could not run against AWS, in the words a user acts on. */
export type CannotRunReason = "credentials" | "endpoint" | "not-deployed";

/** The verifier could not reach AWS, was refused, or found nothing deployed; it says what to do. */
export class VerifyCannotRunError extends Error {
  readonly reason: CannotRunReason;

  constructor(reason: CannotRunReason, message: string) {
    super(message);
    this.name = "VerifyCannotRunError";
    this.reason = reason;
  }
}

/**
 * A `${...}` reference of the synthesized JSON has no value in the state: the resource is not in
 * the state (not applied, or a different stack) or the attribute is empty.
 */
export class UnresolvedReferenceError extends Error {
  /** The reference as written, e.g. `${aws_kms_key.primary-key_A86244A9.arn}`. */
  readonly reference: string;
  /** Where it occurs in cdk.tf.json, e.g. `resource.aws_s3_bucket_policy.x.policy`. */
  readonly where: string;

  constructor(reference: string, where: string, reason: string) {
    super(`cannot resolve ${reference} in ${where || "(value)"}: ${reason}`);
    this.name = "UnresolvedReferenceError";
    this.reference = reference;
    this.where = where;
  }
}
