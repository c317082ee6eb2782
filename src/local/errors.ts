/**
 * The error types of the local runner and the wording of their messages, in one place so the
 * messages stay consistent and tests can match them. Each message says what is missing or what
 * failed, and what to do about it.
 */

/** Where to get each tool the runner needs; quoted by every "missing" message. */
export const INSTALL_HINTS = {
  terraform: "install Terraform 1.5 or later: https://developer.hashicorp.com/terraform/install (or set TERRAFORM_BIN to its path)",
  moto: "install the moto server: pip install 'moto[server]' (or set MOTO_SERVER_BIN to its path)",
  mirror: "set TF_PROVIDER_MIRROR to a filesystem mirror holding registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>, or let terraform init download it from the registry (network needed)",
} as const;

/** A tool the runner needs is not installed, or an override points at nothing usable. */
export class ToolMissingError extends Error {
  /** The tool: "terraform", "moto_server", "provider mirror". */
  readonly tool: string;

  constructor(tool: string, problem: string, hint: string) {
    super(`${tool} ${problem}: ${hint}`);
    this.name = "ToolMissingError";
    this.tool = tool;
  }

  /** Several missing tools as one error, one line each, so all are fixed in one round trip. */
  static combine(errors: readonly ToolMissingError[]): ToolMissingError {
    if (errors.length === 1) return errors[0];
    const combined = new ToolMissingError(errors.map((e) => e.tool).join(", "), "", "");
    combined.message = errors.map((e) => e.message).join("\n");
    return combined;
  }
}

/** The emulator did not come up; it has been stopped, nothing is left running. */
export class EmulatorStartError extends Error {
  constructor(reason: string, logTail: string) {
    const log = logTail.trim() === "" ? "" : `\nLast lines of its log:\n${indent(logTail.trim())}`;
    super(`The AWS emulator (moto_server) did not start: ${reason}. It was stopped; nothing is left running.${log}`);
    this.name = "EmulatorStartError";
  }
}

/** A Terraform command exited with an unexpected code. */
export class TerraformError extends Error {
  /** The subcommand, e.g. "apply". */
  readonly command: string;
  /** Its exit code (null when killed by a signal). */
  readonly exitCode: number | null;
  /** The `Error:` paragraphs of its output, the part a person needs. */
  readonly diagnostics: string;

  constructor(command: string, exitCode: number | null, diagnostics: string, logFile: string) {
    const code = exitCode === null ? "was killed" : `exited with code ${exitCode}`;
    super(`terraform ${command} ${code}:\n${indent(diagnostics || "(no error message; see the log)")}\nFull output: ${logFile}`);
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

/** Indents every line by four spaces, for messages that quote another tool's output. */
export function indent(text: string): string {
  return text.split("\n").map((line) => `    ${line}`).join("\n");
}
