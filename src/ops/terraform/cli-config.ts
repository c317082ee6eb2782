import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AWS_PROVIDER } from "../tools";

/**
 * The Terraform CLI configuration text: the AWS provider from the mirror and everything else
 * from its registry, or everything from the registry when there is no mirror.
 * https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 */
export function cliConfigText(providerMirror: string | undefined): string {
  if (providerMirror === undefined) {
    return "provider_installation {\n  direct {}\n}\n";
  }
  const address = `${AWS_PROVIDER.hostname}/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}`;
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(providerMirror)}`,
    `    include = [${JSON.stringify(address)}]`,
    "  }",
    "  direct {",
    `    exclude = [${JSON.stringify(address)}]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * Writes the CLI configuration into `dir` and returns its path, for TF_CLI_CONFIG_FILE. Always
 * our own file: a user's ~/.terraformrc (or a TF_CLI_CONFIG_FILE naming a missing file) must
 * not decide where the provider comes from.
 */
export function writeCliConfig(dir: string, providerMirror: string | undefined): string {
  const path = join(dir, "terraform.tfrc");
  writeFileSync(path, cliConfigText(providerMirror));
  return path;
}
