/**
 * The verifier's own error types: the input is not a synthesized stack, or one of its references
 * cannot be resolved. Both mean "the verifier could not run" (`npm run verify` exits 2), as does
 * a CannotRunError (`../aws-errors.ts`: unreachable, silent or not AWS, credentials, a permission,
 * nothing deployed). A difference between the live and the declared deployment is never an
 * error: it is a row that fails (exit 1).
 */

/** The synthesized JSON is not what the verifier can read. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
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
