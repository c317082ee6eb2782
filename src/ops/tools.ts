/**
 * Finds the tools the local runner needs: the terraform binary, the moto server and a filesystem
 * mirror of the AWS provider, and writes the Terraform CLI configuration that uses that mirror.
 * Overrides come first (TERRAFORM_BIN, MOTO_SERVER_BIN, TF_PROVIDER_MIRROR), then the usual
 * places. A missing tool is an error that names it and says how to install it.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";

/** Where to get each tool the runner needs; quoted by every "missing" message. */
const INSTALL_HINTS = {
  terraform:
    "install Terraform 1.11 or later: https://developer.hashicorp.com/terraform/install (or set TERRAFORM_BIN to its path)",
  moto: "install the moto server: pip install 'moto[server]' (or set MOTO_SERVER_BIN to its path)",
  mirror:
    "set TF_PROVIDER_MIRROR to a filesystem mirror holding registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>, or let terraform init download it from the registry (network needed)",
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

/** Environment variables read here, as a record so tests can pass their own. */
export type Env = Record<string, string | undefined>;

/** The AWS provider's registry address, as laid out in a filesystem mirror. */
export const AWS_PROVIDER = { hostname: "registry.terraform.io", namespace: "hashicorp", type: "aws" } as const;

/**
 * Mirror locations checked after Terraform's implied ones: each folder directly under /opt, where
 * the Filesystem Hierarchy Standard puts add-on software packages (FHS 3.0, section 3.13), so a
 * machine image that ships a mirror as a package (`/opt/<name>/registry.terraform.io/...`) is found
 * without naming it here. Anywhere else, TF_PROVIDER_MIRROR names it.
 */
const EXTRA_MIRROR_DIRS = foldersIn("/opt");

/** The folders directly in `dir`, sorted; none when it is absent or unreadable. */
export function foldersIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

/** Everything the runner needs from the machine. */
export interface LocalTools {
  /** Absolute path of the terraform binary. */
  readonly terraform: string;
  /** Absolute path of the moto server launcher. */
  readonly motoServer: string;
  /** The provider mirror, or undefined: then `terraform init` downloads from the registry. */
  readonly providerMirror?: string;
  /** The AWS provider version the synthesized JSON pins. */
  readonly providerVersion: string;
}

/** `x64` → `amd64`, as in Terraform's platform names (`linux_amd64`). */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const archName: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" };
  return `${platform}_${archName[arch] ?? arch}`;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable `name` on `PATH`, or undefined. Relative PATH entries are ignored: they
 * depend on the directory the runner happens to be started from.
 */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Resolves a tool: the override variable when set (it must name an executable file), else
 * `name` on PATH. Throws ToolMissingError naming the tool and how to install it.
 */
function findTool(name: string, overrideVar: string, hint: string, env: Env): string {
  const override = env[overrideVar];
  if (override !== undefined && override !== "") {
    if (isExecutableFile(override)) return override;
    throw new ToolMissingError(
      name,
      `was not found at ${overrideVar}=${JSON.stringify(override)} (not an executable file)`,
      hint,
    );
  }
  const found = findOnPath(name, env);
  if (found === undefined) throw new ToolMissingError(name, "was not found on PATH", hint);
  return found;
}

/** The terraform binary: TERRAFORM_BIN, else `terraform` on PATH. */
export function findTerraform(env: Env = process.env): string {
  return findTool("terraform", "TERRAFORM_BIN", INSTALL_HINTS.terraform, env);
}

/** The moto server: MOTO_SERVER_BIN, else `moto_server` on PATH. */
export function findMotoServer(env: Env = process.env): string {
  return findTool("moto_server", "MOTO_SERVER_BIN", INSTALL_HINTS.moto, env);
}

/**
 * Terraform's implied local mirror directories on Unix, in its search order, then EXTRA_MIRROR_DIRS.
 * https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
 */
export function mirrorCandidates(
  env: Env = process.env,
  home: string = homedir(),
  extraDirs: readonly string[] = EXTRA_MIRROR_DIRS,
): string[] {
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter((d) => d !== "");
  return [
    join(home, ".terraform.d", "plugins"),
    join(dataHome, "terraform", "plugins"),
    ...dataDirs.map((d) => join(d, "terraform", "plugins")),
    ...extraDirs,
  ];
}

/**
 * Whether `dir` holds the AWS provider `version` for `platform`, in either mirror layout:
 * unpacked (`.../aws/<version>/<platform>/`) or packed (`.../aws/terraform-provider-aws_<version>_<platform>.zip`).
 */
function mirrorHasProvider(dir: string, version: string, platform: string = terraformPlatform()): boolean {
  const base = join(dir, AWS_PROVIDER.hostname, AWS_PROVIDER.namespace, AWS_PROVIDER.type);
  return (
    existsSync(join(base, version, platform)) ||
    existsSync(join(base, `terraform-provider-aws_${version}_${platform}.zip`))
  );
}

/**
 * The provider mirror to install from: TF_PROVIDER_MIRROR when set (it must hold the provider:
 * a mirror named on purpose that lacks it is an error, not a silent download), else the first
 * candidate that holds it, else undefined (the registry).
 */
export function findProviderMirror(
  version: string,
  env: Env = process.env,
  home: string = homedir(),
  platform: string = terraformPlatform(),
  extraDirs: readonly string[] = EXTRA_MIRROR_DIRS,
): string | undefined {
  const named = env.TF_PROVIDER_MIRROR;
  if (named !== undefined && named !== "") {
    if (mirrorHasProvider(named, version, platform)) return named;
    throw new ToolMissingError(
      "provider mirror",
      `TF_PROVIDER_MIRROR=${JSON.stringify(named)} does not hold hashicorp/aws ${version} for ${platform}`,
      INSTALL_HINTS.mirror,
    );
  }
  return mirrorCandidates(env, home, extraDirs).find((dir) => mirrorHasProvider(dir, version, platform));
}

/**
 * The AWS provider version the app pins: the one @cdktf/provider-aws was generated for, which
 * is what the synthesized `required_providers` says.
 */
export function pinnedProviderVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve("@cdktf/provider-aws/package.json"), "utf8")) as {
    cdktf?: { provider?: { version?: string } };
  };
  const version = manifest.cdktf?.provider?.version;
  if (version === undefined)
    throw new Error("@cdktf/provider-aws/package.json names no provider version (cdktf.provider.version)");
  return version;
}

/** Finds every tool; when some are missing, one ToolMissingError names each of them. */
export function discoverTools(env: Env = process.env, home: string = homedir()): LocalTools {
  const providerVersion = pinnedProviderVersion();
  const errors: ToolMissingError[] = [];
  const collect = <T>(find: () => T): T | undefined => {
    try {
      return find();
    } catch (error) {
      if (!(error instanceof ToolMissingError)) throw error;
      errors.push(error);
      return undefined;
    }
  };
  const terraform = collect(() => findTerraform(env));
  const motoServer = collect(() => findMotoServer(env));
  const providerMirror = collect(() => findProviderMirror(providerVersion, env, home));
  if (terraform === undefined || motoServer === undefined || errors.length > 0) throw ToolMissingError.combine(errors);
  return { terraform, motoServer, providerMirror, providerVersion };
}

/**
 * What is missing for the end-to-end suite, as sentences with install hints (empty when all is
 * there). Without a mirror the registry would do, but the suite must not depend on the network,
 * so a missing mirror counts.
 */
export function missingPrerequisites(
  env: Env = process.env,
  home: string = homedir(),
  extraDirs: readonly string[] = EXTRA_MIRROR_DIRS,
): string[] {
  const missing: string[] = [];
  const collect = (find: () => unknown) => {
    try {
      find();
    } catch (error) {
      missing.push((error as Error).message);
    }
  };
  collect(() => findTerraform(env));
  collect(() => findMotoServer(env));
  collect(() => {
    const version = pinnedProviderVersion();
    if (findProviderMirror(version, env, home, terraformPlatform(), extraDirs) === undefined) {
      throw new ToolMissingError(
        "provider mirror",
        `holding hashicorp/aws ${version} was not found in ${mirrorCandidates(env, home, extraDirs).join(", ")}`,
        INSTALL_HINTS.mirror,
      );
    }
  });
  return missing;
}
