/**
 * The errors of running Terraform and synthesis, and their wording: each says what failed and
 * quotes the part of the tool's output a person needs.
 */
import { indent } from "../../common/text";

/** A Terraform command exited with an unexpected code. */
export class TerraformError extends Error {
  /** The subcommand, e.g. "apply". */
  readonly command: string;
  /** Its exit code (null when killed by a signal). */
  readonly exitCode: number | null;
  /** The `Error:` paragraphs of its output, the part a person needs. */
  readonly diagnostics: string;

  constructor(command: string, exitCode: number | null, diagnostics: string, logFile: string | undefined) {
    const code = exitCode === null ? "was killed" : `exited with code ${exitCode}`;
    const log = logFile === undefined ? "" : `\nFull output: ${logFile}`;
    const shown = diagnostics || (logFile === undefined ? "(no error message)" : "(no error message; see the log)");
    super(`terraform ${command} ${code}:\n${indent(shown)}${log}`);
    this.name = "TerraformError";
    this.command = command;
    this.exitCode = exitCode;
    this.diagnostics = diagnostics;
  }
}

/** Synthesis (`node main.ts`) failed: usually a configuration error, quoted as is. */
export class SynthError extends Error {
  constructor(output: string) {
    super(`synthesis failed:\n${indent(output.trim() || "(no output)")}`);
    this.name = "SynthError";
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
