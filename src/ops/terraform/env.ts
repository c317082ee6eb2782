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
 * The Go garbage collector's target for Terraform and its provider plugins, unless the caller
 * set one. Every command that needs the AWS provider starts it (once for its schema, once per
 * provider configuration), and each start builds the schemas of ~1,500 resources: allocation-heavy
 * work the collector runs through again and again at Go's default `GOGC=100`. At 400 the heap may
 * grow to five times the live data before a collection: measured on a `terraform plan` of this
 * stack, about a quarter less CPU for about a quarter more peak memory (330 → 420 MB).
 * GOGC is read by every Go program at start (https://pkg.go.dev/runtime#hdr-Environment_Variables,
 * https://go.dev/doc/gc-guide#GOGC), and Terraform starts its plugins with its own environment.
 */
export const GO_GC_PERCENT = "400";

/**
 * `base`, plus: `TF_CLI_CONFIG_FILE` (our provider installation settings, never a user's
 * `~/.terraformrc`), `TF_IN_AUTOMATION` (no "next, run terraform apply" hints), `TF_INPUT=0`
 * (a prompt fails instead of hanging), `CHECKPOINT_DISABLE` (no version check over the network)
 * and, unless `base` has one, `GOGC` ({@link GO_GC_PERCENT}).
 */
export function terraformEnv(options: TerraformEnvOptions): Record<string, string | undefined> {
  return {
    ...options.base,
    GOGC: options.base.GOGC ?? GO_GC_PERCENT,
    TF_CLI_CONFIG_FILE: options.cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
}
