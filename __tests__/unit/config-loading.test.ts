import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { DEFAULT_CONFIG_FILE, loadSettings } from "../../src/config/load";

/** loadSettings, expected to fail: its ConfigError. */
function loadError(env: NodeJS.ProcessEnv, cwd: string): ConfigError {
  try {
    loadSettings(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the settings loaded");
}

describe("loading the config file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "site-config-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the defaults when there is no site.config.json and SITE_CONFIG is unset", () => {
    expect(loadSettings({}, dir)).toMatchObject({
      project: "portfolio-site",
      primaryRegion: "us-east-1",
      replicaRegion: "us-west-2",
    });
  });

  it("reads site.config.json from the working directory", () => {
    writeFileSync(join(dir, DEFAULT_CONFIG_FILE), JSON.stringify({ project: "from-default-file" }));
    expect(loadSettings({}, dir).project).toBe("from-default-file");
  });

  it("reads the file SITE_CONFIG names, relative to the working directory, instead of site.config.json", () => {
    writeFileSync(join(dir, DEFAULT_CONFIG_FILE), JSON.stringify({ project: "ignored" }));
    writeFileSync(join(dir, "staging.json"), JSON.stringify({ project: "from-site-config" }));
    expect(loadSettings({ SITE_CONFIG: "staging.json" }, dir).project).toBe("from-site-config");
  });

  it("reports a SITE_CONFIG that names a missing file instead of falling back to the defaults", () => {
    const error = loadError({ SITE_CONFIG: "missing.json" }, dir);
    expect(error.problems).toEqual([
      { field: "SITE_CONFIG", value: "missing.json", rule: "names a config file that does not exist" },
    ]);
    expect(error.source).toBe(join(dir, "missing.json"));
    expect(error.message).toContain(join(dir, "missing.json"));
  });

  it.each(["{ project: 'unquoted' }", '{"project": "x",}', ""])(
    "reports a file that is not valid JSON (%j)",
    (text) => {
      const path = join(dir, DEFAULT_CONFIG_FILE);
      writeFileSync(path, text);
      const error = loadError({}, dir);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toEqual({
        field: "",
        value: undefined,
        rule: expect.stringMatching(/^is not valid JSON: /),
      });
      expect(error.message).toContain(`Invalid site configuration (${path})`);
    },
  );

  it.each([
    ["[]", []],
    ['"portfolio-site"', "portfolio-site"],
    ["null", null],
    ["42", 42],
  ])("reports a file whose JSON is not an object (%s)", (text, value) => {
    writeFileSync(join(dir, DEFAULT_CONFIG_FILE), text);
    expect(loadError({}, dir).problems).toEqual([{ field: "", value, rule: "must be a JSON object" }]);
  });

  it("names the file as the source of its problems", () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ kmsDeletionWindowDays: 3 }));
    const error = loadError({ SITE_CONFIG: path }, dir);
    expect(error.source).toBe(path);
    expect(error.message.split("\n")[0]).toBe(`Invalid site configuration (${path}), 1 problem(s):`);
  });
});
