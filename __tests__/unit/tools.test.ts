import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliConfigText, writeCliConfig } from "../../src/ops/terraform/cli-config";
import {
  discoverTools,
  findMotoServer,
  findOnPath,
  findProviderMirror,
  findTerraform,
  foldersIn,
  mirrorCandidates,
  missingPrerequisites,
  pinnedProviderVersion,
  terraformPlatform,
  ToolMissingError,
} from "../../src/ops/tools";

const root = mkdtempSync(join(tmpdir(), "local-tools-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (name: string) => {
  const dir = join(root, `${++counter}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

function executable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chmodSync(path, 0o755);
  return path;
}

/** An unpacked mirror holding hashicorp/aws `version` for this platform. */
function mirror(version: string): string {
  const dir = freshDir("mirror");
  mkdirSync(join(dir, "registry.terraform.io", "hashicorp", "aws", version, terraformPlatform()), { recursive: true });
  return dir;
}

describe("finding terraform and moto_server", () => {
  it("finds an executable on PATH, skipping relative and missing entries", () => {
    const bin = freshDir("bin");
    const path = executable(bin, "terraform");
    expect(findOnPath("terraform", { PATH: ["relative/dir", "/does/not/exist", bin].join(":") })).toBe(path);
  });

  it("skips a file that is not executable", () => {
    const bin = freshDir("bin");
    writeFileSync(join(bin, "terraform"), "not executable");
    expect(findOnPath("terraform", { PATH: bin })).toBeUndefined();
  });

  it("prefers TERRAFORM_BIN and MOTO_SERVER_BIN over PATH", () => {
    const onPath = freshDir("path");
    executable(onPath, "terraform");
    executable(onPath, "moto_server");
    const chosen = freshDir("chosen");
    const terraform = executable(chosen, "tf-1.11");
    const moto = executable(chosen, "moto");
    expect(findTerraform({ PATH: onPath, TERRAFORM_BIN: terraform })).toBe(terraform);
    expect(findMotoServer({ PATH: onPath, MOTO_SERVER_BIN: moto })).toBe(moto);
  });

  it("says terraform is missing and where to get it", () => {
    const empty = freshDir("empty");
    expect(() => findTerraform({ PATH: empty })).toThrow(ToolMissingError);
    expect(() => findTerraform({ PATH: empty })).toThrow(
      /^terraform was not found on PATH: install Terraform .*https:\/\/developer\.hashicorp\.com\/terraform\/install/,
    );
  });

  it("says moto_server is missing and how to install it", () => {
    expect(() => findMotoServer({ PATH: freshDir("empty") })).toThrow(
      /^moto_server was not found on PATH: install the moto server: pip install 'moto\[server\]'/,
    );
  });

  it("names an override that points at nothing", () => {
    expect(() => findTerraform({ PATH: "", TERRAFORM_BIN: "/nowhere/terraform" })).toThrow(
      /terraform was not found at TERRAFORM_BIN="\/nowhere\/terraform" \(not an executable file\)/,
    );
    expect(() => findMotoServer({ PATH: "", MOTO_SERVER_BIN: "/nowhere/moto" })).toThrow(
      /moto_server was not found at MOTO_SERVER_BIN="\/nowhere\/moto"/,
    );
  });
});

describe("finding the provider mirror", () => {
  const version = "5.100.0";

  it("uses TF_PROVIDER_MIRROR when it holds the provider", () => {
    const dir = mirror(version);
    expect(findProviderMirror(version, { TF_PROVIDER_MIRROR: dir }, freshDir("home"))).toBe(dir);
  });

  it("refuses a TF_PROVIDER_MIRROR without the pinned version instead of downloading silently", () => {
    const dir = mirror("5.0.0");
    expect(() => findProviderMirror(version, { TF_PROVIDER_MIRROR: dir }, freshDir("home"))).toThrow(
      /provider mirror TF_PROVIDER_MIRROR=".*" does not hold hashicorp\/aws 5\.100\.0 for \w+_\w+/,
    );
  });

  it("finds the packed layout too", () => {
    const dir = freshDir("packed");
    const base = join(dir, "registry.terraform.io", "hashicorp", "aws");
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, `terraform-provider-aws_${version}_${terraformPlatform()}.zip`), "");
    expect(findProviderMirror(version, { TF_PROVIDER_MIRROR: dir }, freshDir("home"))).toBe(dir);
  });

  it("checks Terraform's implied mirror directories in order, the user's first", () => {
    const home = freshDir("home");
    const dataHome = freshDir("data-home");
    expect(mirrorCandidates({ XDG_DATA_HOME: dataHome, XDG_DATA_DIRS: "/a:/b" }, home, ["/opt/some-package"])).toEqual([
      join(home, ".terraform.d", "plugins"),
      join(dataHome, "terraform", "plugins"),
      "/a/terraform/plugins",
      "/b/terraform/plugins",
      "/opt/some-package",
    ]);
    mkdirSync(
      join(home, ".terraform.d", "plugins", "registry.terraform.io", "hashicorp", "aws", version, terraformPlatform()),
      { recursive: true },
    );
    // Found before the folders of /opt, which may hold it too.
    expect(findProviderMirror(version, { XDG_DATA_DIRS: "/nonexistent" }, home)).toBe(
      join(home, ".terraform.d", "plugins"),
    );
  });

  it("looks in each package folder directly under /opt, and in none when the folder is absent", () => {
    const opt = freshDir("opt");
    mkdirSync(join(opt, "b-mirror"));
    mkdirSync(join(opt, "a-tools"));
    writeFileSync(join(opt, "not-a-folder"), "");
    expect(foldersIn(opt)).toEqual([join(opt, "a-tools"), join(opt, "b-mirror")]);
    expect(foldersIn(join(opt, "absent"))).toEqual([]);
    mkdirSync(join(opt, "b-mirror", "registry.terraform.io", "hashicorp", "aws", version, terraformPlatform()), {
      recursive: true,
    });
    expect(
      findProviderMirror(
        version,
        { XDG_DATA_DIRS: "/nonexistent" },
        freshDir("home"),
        terraformPlatform(),
        foldersIn(opt),
      ),
    ).toBe(join(opt, "b-mirror"));
  });

  it("falls back to the registry (undefined) when no candidate holds the provider", () => {
    expect(
      findProviderMirror(
        pinnedProviderVersion(),
        { XDG_DATA_DIRS: "/nonexistent" },
        freshDir("home"),
        terraformPlatform(),
        [],
      ),
    ).toBeUndefined();
  });

  it("reads the pinned version from the provider bindings", () => {
    expect(pinnedProviderVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("the Terraform CLI configuration", () => {
  it("installs hashicorp/aws from the mirror and everything else directly", () => {
    expect(cliConfigText("/opt/tf-plugins")).toBe(
      [
        "provider_installation {",
        "  filesystem_mirror {",
        '    path    = "/opt/tf-plugins"',
        '    include = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "  direct {",
        '    exclude = ["registry.terraform.io/hashicorp/aws"]',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("installs everything from the registry without a mirror", () => {
    expect(cliConfigText(undefined)).toBe("provider_installation {\n  direct {}\n}\n");
  });

  it("is written into the given folder", () => {
    const dir = freshDir("work");
    const path = writeCliConfig(dir, "/m");
    expect(path).toBe(join(dir, "terraform.tfrc"));
    expect(readFileSync(path, "utf8")).toContain('path    = "/m"');
  });
});

describe("missingPrerequisites", () => {
  it("lists every missing tool with its install hint", () => {
    const missing = missingPrerequisites(
      { PATH: freshDir("empty"), XDG_DATA_DIRS: "/nonexistent" },
      freshDir("home"),
      [],
    );
    expect(missing).toHaveLength(3);
    expect(missing[0]).toMatch(/^terraform was not found on PATH/);
    expect(missing[1]).toMatch(/^moto_server was not found on PATH/);
    expect(missing[2]).toMatch(/^provider mirror holding hashicorp\/aws/);
  });

  it("is empty when everything is there", () => {
    const bin = freshDir("bin");
    executable(bin, "terraform");
    executable(bin, "moto_server");
    expect(
      missingPrerequisites({ PATH: bin, TF_PROVIDER_MIRROR: mirror(pinnedProviderVersion()) }, freshDir("home")),
    ).toEqual([]);
  });
});

describe("discoverTools", () => {
  it("names every missing tool at once, one line each", () => {
    expect(() => discoverTools({ PATH: freshDir("empty") }, freshDir("home"))).toThrow(
      /^terraform was not found on PATH: .*\nmoto_server was not found on PATH: .*pip install 'moto\[server\]'/,
    );
  });

  it("returns the tools, the pinned version and the mirror", () => {
    const bin = freshDir("bin");
    const terraform = executable(bin, "terraform");
    const moto = executable(bin, "moto_server");
    const dir = mirror(pinnedProviderVersion());
    expect(discoverTools({ PATH: bin, TF_PROVIDER_MIRROR: dir }, freshDir("home"))).toEqual({
      terraform,
      motoServer: moto,
      providerMirror: dir,
      providerVersion: pinnedProviderVersion(),
    });
  });
});
