import { ConfigError } from "../../src/config/errors";
import { withRunOverrides } from "../../src/ops/local-run/run-config";

describe("the local run's configuration", () => {
  it("turns protectData off, keeps the state local and changes nothing else", () => {
    const { raw, settings } = withRunOverrides(
      {
        project: "demo-site",
        protectData: true,
        tags: { Team: "web" },
        backend: { type: "s3", bucket: "team-state-bucket", key: "site-storage/terraform.tfstate" },
      },
      "site.config.json",
    );
    expect(raw).toEqual({
      project: "demo-site",
      protectData: false,
      tags: { Team: "web" },
      backend: { type: "local" },
    });
    expect(settings.protectData).toBe(false);
    expect(settings.backend).toEqual({ type: "local" });
    expect(settings.project).toBe("demo-site");
  });

  it("reports every problem of the user's configuration at once, before anything starts", () => {
    let error: unknown;
    try {
      withRunOverrides({ project: "Bad_Name", replicaRegion: "us-east-1" }, "site.config.json");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(["project", "replicaRegion"]),
    );
    expect((error as ConfigError).message).toMatch(
      /site\.config\.json \+ \{"protectData":false,"backend":\{"type":"local"\}\}/,
    );
  });
});

describe("the local run and the CI roles", () => {
  it("leaves the CI roles out: they need the S3 backend the run replaces, and no site-ci stack runs on the emulator", () => {
    const { raw, settings } = withRunOverrides(
      {
        backend: { type: "s3", bucket: "team-state-bucket" },
        ci: { githubRepository: "acme/site" },
      },
      "site.config.json",
    );
    expect(raw).not.toHaveProperty("ci");
    expect(settings.ci).toBeUndefined();
  });
});
