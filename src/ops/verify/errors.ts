/**
 * The verifier's two error types and their wording. Both mean "the verifier cannot say what was
 * declared", which is a wiring problem (wrong state, wrong JSON, a stack that was not applied),
 * not a failed check: a failed check is a row with `pass: false`.
 */

/** The input does not have the shape of `terraform output -json`, `terraform show -json` or cdk.tf.json. */
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
