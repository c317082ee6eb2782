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
