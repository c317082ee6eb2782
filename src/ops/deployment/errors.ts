/**
 * The error of a deployment's input (this folder serves verify, its probe and publish): the
 * synthesized app, its settings or the deployment it names cannot be used (a stack without its
 * resources, a role without a fixed name, a declared resource not found). The command that
 * read it cannot run (`npm run verify` exits 2), as on a CannotRunError (`../aws-errors.ts`:
 * unreachable, silent or not AWS, credentials, a permission, nothing deployed) and an
 * UnresolvedReferenceError (`../terraform/errors.ts`). A difference between the live and the
 * declared deployment is never an error: it is a row that fails (exit 1).
 */

/** The synthesized app, its settings or the deployment cannot be used as the input. */
export class DeploymentInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentInputError";
  }
}
