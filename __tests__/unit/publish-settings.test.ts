// The `publish` section of the settings: its defaults, and every rule with its message, the
// field and the value echoed back.
import { parseSettings } from "../../src/config/load";
import { DEFAULT_COLLAPSE_AT, DEFAULT_FINGERPRINT } from "../../src/config/publish-settings";
import { onlyProblemOf, problemsOf } from "./helpers/config-problems";

describe("publish settings", () => {
  it("applies the defaults: dist, the hex fingerprint, .well-known allowed, the collapse threshold", () => {
    expect(parseSettings({}, "test").publish).toEqual({
      directory: "dist",
      fingerprint: DEFAULT_FINGERPRINT,
      cacheControl: {},
      contentTypes: {},
      allowDotfiles: [".well-known/**"],
      invalidationCollapseAt: DEFAULT_COLLAPSE_AT,
    });
  });

  it.each([
    [{ directory: "" }, { field: "publish.directory", value: "", rule: "must name a folder" }],
    [
      { fingerprint: "[a-" },
      {
        field: "publish.fingerprint",
        value: "[a-",
        rule: expect.stringMatching(/^must be a valid regular expression/),
      },
    ],
    [
      { cacheControl: { "fonts/**": "max-age=1\n" } },
      {
        field: "publish.cacheControl.fonts/**",
        value: "max-age=1\n",
        rule: expect.stringContaining("must be a Cache-Control header value of printable ASCII"),
      },
    ],
    [
      { cacheControl: { "C:\\fonts": "no-store" } },
      { field: "publish.cacheControl.C:\\fonts", value: "C:\\fonts", rule: expect.stringContaining("must be a glob") },
    ],
    [
      { contentTypes: { "/abs": "text/plain" } },
      {
        field: "publish.contentTypes./abs",
        value: "/abs",
        rule: 'must be an extension such as ".webmanifest", or a glob over keys such as ".well-known/*"',
      },
    ],
    [
      { contentTypes: { ".webmanifest": "manifest" } },
      {
        field: "publish.contentTypes..webmanifest",
        value: "manifest",
        rule: 'must be a media type such as "application/manifest+json"',
      },
    ],
    [
      { allowDotfiles: ["/.well-known/**"] },
      { field: "publish.allowDotfiles.0", value: "/.well-known/**", rule: expect.stringContaining("must be a glob") },
    ],
    [
      { invalidationCollapseAt: 3001 },
      { field: "publish.invalidationCollapseAt", value: 3001, rule: "must be a whole number from 1 to 3000" },
    ],
    [
      { invalidationCollapseAt: "20" },
      { field: "publish.invalidationCollapseAt", value: "20", rule: "must be a whole number from 1 to 3000" },
    ],
  ])("refuses %j, naming the field, the value and the rule", (publish, problem) => {
    expect(onlyProblemOf({ publish })).toEqual(problem);
  });

  it("reports every problem of the section at once", () => {
    expect(problemsOf({ publish: { directory: "", invalidationCollapseAt: 0, typo: true } })).toHaveLength(3);
  });

  it("accepts extensions, globs and media types with parameters", () => {
    const settings = parseSettings(
      {
        publish: {
          contentTypes: {
            ".webmanifest": "application/manifest+json",
            "feeds/*": "application/rss+xml; charset=utf-8",
          },
          cacheControl: { "fonts/**": "public, max-age=604800" },
        },
      },
      "test",
    );
    expect(Object.keys(settings.publish.contentTypes)).toEqual([".webmanifest", "feeds/*"]);
  });
});
