/**
 * The environment of every Terraform child process this project starts: the caller's, with the
 * CLI configuration that decides where providers come from and the switches for unattended runs.
 * https://developer.hashicorp.com/terraform/cli/config/environment-variables
 */

/** Options of {@link terraformEnv}. */
export interface TerraformEnvOptions {
  /** The environment to start from (the user's, or the emulator's). */
  readonly base: Readonly<Record<string, string | undefined>>;
  /** The CLI configuration file (see `writeCliConfig`). */
  readonly cliConfigFile: string;
}

/**
 * `base`, plus: `TF_CLI_CONFIG_FILE` (our provider installation settings, never a user's
 * `~/.terraformrc`), `TF_IN_AUTOMATION` (no "next, run terraform apply" hints), `TF_INPUT=0`
 * (a prompt fails instead of hanging) and `CHECKPOINT_DISABLE` (no version check over the network).
 */
export function terraformEnv(options: TerraformEnvOptions): Record<string, string | undefined> {
  return {
    ...options.base,
    TF_CLI_CONFIG_FILE: options.cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
}
