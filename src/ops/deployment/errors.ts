/**
 * The verifier's own error type: the input is not the synthesized stack it can read. It means
 * "the verifier could not run" (`npm run verify` exits 2), as do a CannotRunError
 * (`../aws-errors.ts`: unreachable, silent or not AWS, credentials, a permission, nothing
 * deployed) and an UnresolvedReferenceError (`../terraform/errors.ts`). A difference between the
 * live and the declared deployment is never an error: it is a row that fails (exit 1).
 */

/** The synthesized JSON is not what the verifier can read. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VerifyInputError";
  }
}
