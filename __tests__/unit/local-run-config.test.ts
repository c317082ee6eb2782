import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { readUserConfig, runConfig, RUN_OVERRIDES, writeRunConfig } from "../../src/local/run-config";

describe("the local run's configuration", () => {
  const dir = mkdtempSync(join(tmpdir(), "run-config-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("turns protectData off, keeps the state local and changes nothing else", () => {
    const { raw, settings } = runConfig({
      project: "demo-site", protectData: true, tags: { Team: "web" },
      backend: { type: "s3", bucket: "team-state-bucket", key: "site-storage/terraform.tfstate" },
    });
    expect(RUN_OVERRIDES).toEqual({ protectData: false, backend: { type: "local" } });
    expect(raw).toEqual({ project: "demo-site", protectData: false, tags: { Team: "web" }, backend: { type: "local" } });
    expect(settings.protectData).toBe(false);
    expect(settings.backend).toEqual({ type: "local" });
    expect(settings.project).toBe("demo-site");
  });

  it("reports every problem of the user's configuration at once, before anything starts", () => {
    expect(() => runConfig({ project: "Bad_Name", replicaRegion: "us-east-1" }, "site.config.json"))
      .toThrow(ConfigError);
    try {
      runConfig({ project: "Bad_Name", replicaRegion: "us-east-1" }, "site.config.json");
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.field)).toEqual(expect.arrayContaining(["project", "replicaRegion"]));
      expect((error as ConfigError).message).toMatch(/site\.config\.json \+ \{"protectData":false,"backend":\{"type":"local"\}\}/);
    }
  });

  it("reads SITE_CONFIG, else site.config.json, else the defaults", () => {
    const named = join(dir, "named.json");
    writeFileSync(named, JSON.stringify({ project: "named-site" }));
    expect(readUserConfig(dir, { SITE_CONFIG: named })).toEqual({ source: named, raw: { project: "named-site" } });
    expect(readUserConfig(dir, {})).toEqual({ source: "defaults", raw: {} });
    writeFileSync(join(dir, "site.config.json"), JSON.stringify({ project: "file-site" }));
    expect(readUserConfig(dir, {}).raw).toEqual({ project: "file-site" });
  });

  it("refuses a SITE_CONFIG that does not exist and a file that is not a JSON object", () => {
    expect(() => readUserConfig(dir, { SITE_CONFIG: "missing.json" })).toThrow(/SITE_CONFIG.*names a config file that does not exist/);
    const list = join(dir, "list.json");
    writeFileSync(list, "[]");
    expect(() => readUserConfig(dir, { SITE_CONFIG: list })).toThrow(/must be a JSON object/);
  });

  it("writes the configuration as a file for SITE_CONFIG", () => {
    const path = writeRunConfig(dir, { protectData: false });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ protectData: false });
  });
});
