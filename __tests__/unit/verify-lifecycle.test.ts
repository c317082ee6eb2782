import { LifecycleRule } from "@aws-sdk/client-s3";
import { siteLifecycleRules } from "../../src/infra/constructs/lifecycle-rules";
import {
  ALL_OBJECTS,
  compareLifecycleRules,
  lifecycleRuleFromApi,
  lifecycleRuleFromTerraform,
} from "../../src/ops/verify/lifecycle";

/** What cdk.tf.json holds for the site lifecycle (snake_case, blocks as lists). */
const declared = [
  {
    id: "archive",
    status: "Enabled",
    filter: [{}],
    noncurrent_version_transition: [{ noncurrent_days: 30, storage_class: "GLACIER" }],
    noncurrent_version_expiration: [{ noncurrent_days: 365 }],
  },
  { id: "abort", status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
  { id: "markers", status: "Enabled", filter: [{}], expiration: [{ expired_object_delete_marker: true }] },
];

/** What moto (and S3) return for it: `filter {}` reads back as `Prefix: ""`. */
const live: LifecycleRule[] = [
  { ID: "markers", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { ExpiredObjectDeleteMarker: true } },
  {
    ID: "archive",
    Status: "Enabled",
    Filter: { Prefix: "" },
    NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: "GLACIER" }],
    NoncurrentVersionExpiration: { NoncurrentDays: 365 },
  },
  {
    ID: "abort",
    Status: "Enabled",
    Filter: { Prefix: "" },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  },
];

const compare = (d: Record<string, unknown>[], l: LifecycleRule[]) =>
  compareLifecycleRules(d.map(lifecycleRuleFromTerraform), l.map(lifecycleRuleFromApi));

describe("lifecycle comparison", () => {
  it("matches the declared rules with the live ones by ID, whatever their order", () => {
    const lines = compare(declared, live);
    expect(lines.map((l) => [l.id, l.pass])).toEqual([
      ["archive", true],
      ["abort", true],
      ["markers", true],
    ]);
  });

  it('reads an empty filter, Prefix "" and no filter as every object', () => {
    expect(lifecycleRuleFromTerraform(declared[0]).Filter).toBe(ALL_OBJECTS);
    expect(lifecycleRuleFromApi({ ID: "x", Status: "Enabled", Filter: {} }).Filter).toBe(ALL_OBJECTS);
    expect(lifecycleRuleFromApi({ ID: "x", Status: "Enabled" }).Filter).toBe(ALL_OBJECTS);
    expect(lifecycleRuleFromApi({ ID: "x", Status: "Enabled", Filter: { Prefix: "logs/" } }).Filter).toEqual({
      Prefix: "logs/",
    });
  });

  it("fails a rule whose days differ, showing both", () => {
    const changed = structuredClone(live);
    changed[1].NoncurrentVersionExpiration = { NoncurrentDays: 30 };
    const archive = compare(declared, changed).find((l) => l.id === "archive");
    expect(archive?.pass).toBe(false);
    expect(archive?.expected).toContain("NoncurrentDays=365");
    expect(archive?.found).toContain("NoncurrentDays=30");
  });

  it("fails a rule with a different archive class or a narrower filter", () => {
    const changed = structuredClone(live);
    changed[1].NoncurrentVersionTransitions = [{ NoncurrentDays: 30, StorageClass: "DEEP_ARCHIVE" }];
    changed[2].Filter = { Prefix: "tmp/" };
    const failing = compare(declared, changed)
      .filter((l) => !l.pass)
      .map((l) => l.id);
    expect(failing).toEqual(["archive", "abort"]);
  });

  it("fails a missing rule and an undeclared one", () => {
    const lines = compare(declared, [...live.slice(1), { ID: "surprise", Status: "Enabled", Expiration: { Days: 1 } }]);
    expect(lines).toContainEqual(expect.objectContaining({ id: "markers", found: "(no such rule)", pass: false }));
    expect(lines).toContainEqual(expect.objectContaining({ id: "surprise", expected: "(not declared)", pass: false }));
  });

  it("fails a disabled rule", () => {
    const changed = structuredClone(live);
    changed[0].Status = "Disabled";
    expect(compare(declared, changed).find((l) => l.id === "markers")?.pass).toBe(false);
  });

  it("reads the project's own lifecycle rules, as cdktf renders them, the same as S3 returns them", () => {
    // The construct's rule objects in camelCase, rendered to the snake_case cdk.tf.json shape.
    const rules = siteLifecycleRules({
      noncurrentTransitionDays: 30,
      noncurrentStorageClass: "GLACIER",
      noncurrentExpirationDays: 365,
      abortIncompleteMultipartUploadDays: 7,
    });
    const snake = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(snake)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(v)]),
            )
          : value;
    const liveOwn: LifecycleRule[] = live.map((r) => ({
      ...r,
      ID: { archive: rules[0].id, abort: rules[1].id, markers: rules[2].id }[r.ID!],
    }));
    expect(compare(snake(rules) as Record<string, unknown>[], liveOwn).every((l) => l.pass)).toBe(true);
  });
});
