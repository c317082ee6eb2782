import { ConfigError, formatProblem } from "../../src/config/errors";
import { parseSettings } from "../../src/config/load";
import { PLACEHOLDER_ACCOUNT_ID, bucketNameProblems, bucketNames, keyAliases } from "../../src/config/names";
import { configErrorOf, onlyProblemOf, problemsOf } from "./helpers/config-problems";
import { nonEmpty } from "./helpers/non-empty";

const NOT_KNOWN = "is not a known setting (check the spelling against the config reference in README.md)";
const DELETION_WINDOW_RULE = "must be a whole number of days from 7 to 30";
const DAYS_RULE = "must be a whole number of days from 1 to 36500 (at most 100 years)";
const TRANSITION_CLASSES =
  "must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE (S3 lifecycle transition targets)";
const REPLICATION_CLASSES =
  "must be one of STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE";
const REGION_RULE = 'must be a known AWS region such as "us-east-1" (see src/config/aws-facts.ts)';
const TAG_CHARACTERS = "may contain only letters, digits, spaces and _ . : / = + - @";

/** The four names a project derives, with the 12-digit account id validation assumes. */
function derived(project: string): string[] {
  return Object.values(bucketNames(project, PLACEHOLDER_ACCOUNT_ID)).map((n) => `"${n}"`);
}

describe("the defaults", () => {
  it("equal the runbook's values when the config is empty", () => {
    expect(parseSettings({})).toMatchObject({
      project: "portfolio-site",
      primaryRegion: "us-east-1",
      replicaRegion: "us-west-2",
      kmsDeletionWindowDays: 30,
      tags: {},
      replication: { storageClass: "STANDARD", replicationTimeControl: false },
      lifecycle: {
        noncurrentTransitionDays: 30,
        noncurrentStorageClass: "GLACIER",
        noncurrentExpirationDays: 365,
        abortIncompleteMultipartUploadDays: 7,
      },
      logging: { retentionDays: 90 },
      protectData: true,
    });
  });

  it("leave the CloudFront distribution unset", () => {
    expect(parseSettings({}).cloudfrontDistributionArn).toBeUndefined();
  });

  it("derive the runbook's PRIMARY_BUCKET, REPLICA_BUCKET and LOG_BUCKET names and key aliases", () => {
    const names = bucketNames("portfolio-site", "${ACCOUNT_ID}");
    expect(names.primary).toBe("portfolio-site-primary-${ACCOUNT_ID}");
    expect(names.replica).toBe("portfolio-site-replica-${ACCOUNT_ID}");
    expect(names.primaryLogs).toBe("portfolio-site-logs-${ACCOUNT_ID}");
    expect(keyAliases("portfolio-site")).toEqual({
      primary: "alias/portfolio-site-primary",
      replica: "alias/portfolio-site-replica",
    });
  });

  it("accept a complete, valid config and keep its values", () => {
    const input = {
      project: "my-site",
      primaryRegion: "eu-west-1",
      replicaRegion: "eu-central-1",
      kmsDeletionWindowDays: 7,
      cloudfrontDistributionArn: "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
      cdn: { enabled: false },
      tags: { Owner: "web team", "cost-center": "a1/b2:c=d+e@f_g.h" },
      replication: { storageClass: "STANDARD_IA", replicationTimeControl: true },
      lifecycle: {
        noncurrentTransitionDays: 30,
        noncurrentStorageClass: "STANDARD_IA",
        noncurrentExpirationDays: 31,
        abortIncompleteMultipartUploadDays: 1,
      },
      logging: { retentionDays: 36500 },
      protectData: false,
    };
    expect(parseSettings(input)).toMatchObject(input);
  });
});

describe("project, through every bucket name it derives", () => {
  it("accepts the longest project whose every name fits 63 characters with a 12-digit account id", () => {
    // The longest derived name is <project>-replica-logs-<12 digits>: 26 characters besides the project.
    expect(() => parseSettings({ project: "a".repeat(37) })).not.toThrow();
  });

  it("rejects one character more, naming only the replica log bucket, which is then too long", () => {
    const project = "a".repeat(38);
    expect(onlyProblemOf({ project })).toEqual({
      field: "project",
      value: project,
      rule: `derives bucket name(s) "${project}-replica-logs-000000000000" (with a 12-digit account id); an S3 bucket name must be 3 to 63 characters long`,
    });
  });

  it("names every derived bucket that is too long", () => {
    const project = "a".repeat(46);
    expect(onlyProblemOf({ project }).rule).toBe(
      `derives bucket name(s) ${derived(project).join(", ")} (with a 12-digit account id); an S3 bucket name must be 3 to 63 characters long`,
    );
  });

  it.each(["Portfolio", "portfolio_site", "portfolio site", "portfolio.site", "portfölio"])(
    "rejects the characters of %j: lowercase letters, digits and hyphens only (no dots: TLS-only)",
    (project) => {
      expect(problemsOf({ project })).toContainEqual({
        field: "project",
        value: project,
        rule: `derives bucket name(s) ${derived(project).join(", ")} (with a 12-digit account id); an S3 bucket name may contain only lowercase letters, digits and hyphens`,
      });
    },
  );

  it.each(["-site", ""])("rejects a project that makes names begin with a hyphen (%j)", (project) => {
    expect(onlyProblemOf({ project })).toEqual({
      field: "project",
      value: project,
      rule: `derives bucket name(s) ${derived(project).join(", ")} (with a 12-digit account id); an S3 bucket name must begin and end with a lowercase letter or digit`,
    });
  });

  it.each(["xn--", "sthree-", "amzn-s3-demo-"])("rejects the reserved prefix %s", (prefix) => {
    const project = `${prefix}site`;
    expect(onlyProblemOf({ project })).toEqual({
      field: "project",
      value: project,
      rule: `derives bucket name(s) ${derived(project).join(", ")} (with a 12-digit account id); an S3 bucket name must not begin with the reserved prefix "${prefix}"`,
    });
  });

  it("reports each broken rule once, with the names that break it", () => {
    const rules = problemsOf({ project: "Xn--Bad_" }).map((p) => p.rule.replace(/^.*an S3 bucket name /, ""));
    expect(rules).toEqual([
      "may contain only lowercase letters, digits and hyphens",
      "must begin and end with a lowercase letter or digit",
    ]);
  });

  it("ends every derived name with the account id, so a project cannot produce a bad last character or reserved suffix", () => {
    for (const name of nonEmpty(Object.values(bucketNames("site-s3alias", PLACEHOLDER_ACCOUNT_ID)), "bucket name")) {
      expect(name.endsWith(`-${PLACEHOLDER_ACCOUNT_ID}`)).toBe(true);
    }
    expect(() => parseSettings({ project: "site-s3alias" })).not.toThrow();
  });
});

describe("the S3 bucket-name rules themselves", () => {
  it("accept a valid name", () => {
    expect(bucketNameProblems("portfolio-site-primary-111122223333")).toEqual([]);
  });

  it.each([
    ["ab", 2],
    ["a".repeat(64), 64],
  ])("reject %j for its length", (name, length) => {
    expect(bucketNameProblems(name as string)).toContain(`must be 3 to 63 characters long (it is ${length})`);
  });

  it.each(["my-bucket-", "-my-bucket"])("reject %j, which does not begin and end with a letter or digit", (name) => {
    expect(bucketNameProblems(name)).toEqual(["must begin and end with a lowercase letter or digit"]);
  });

  it.each(["xn--", "sthree-", "amzn-s3-demo-"])("reject the reserved prefix %s", (prefix) => {
    expect(bucketNameProblems(`${prefix}bucket`)).toEqual([`must not begin with the reserved prefix "${prefix}"`]);
  });

  it.each(["-s3alias", "--ol-s3", "--x-s3", "--table-s3"])("reject the reserved suffix %s", (suffix) => {
    expect(bucketNameProblems(`bucket${suffix}`)).toEqual([`must not end with the reserved suffix "${suffix}"`]);
  });

  it("reject the reserved suffix .mrap (and its dot)", () => {
    expect(bucketNameProblems("bucket.mrap")).toEqual([
      "may contain only lowercase letters, digits and hyphens",
      'must not end with the reserved suffix ".mrap"',
    ]);
  });
});

describe("regions", () => {
  it.each([
    ["primaryRegion", "us-east-3"],
    ["primaryRegion", "US-EAST-1"],
    ["replicaRegion", "mars-north-1"],
    ["replicaRegion", ""],
  ])("rejects the unknown %s %j", (field, value) => {
    expect(onlyProblemOf({ [field]: value })).toEqual({ field, value, rule: REGION_RULE });
  });

  it("rejects a replica region equal to the primary region", () => {
    expect(onlyProblemOf({ primaryRegion: "eu-west-1", replicaRegion: "eu-west-1" })).toEqual({
      field: "replicaRegion",
      value: "eu-west-1",
      rule: 'must differ from primaryRegion (both are "eu-west-1")',
    });
  });

  it("rejects a replica region equal to the default primary region", () => {
    expect(onlyProblemOf({ replicaRegion: "us-east-1" })).toEqual({
      field: "replicaRegion",
      value: "us-east-1",
      rule: 'must differ from primaryRegion (both are "us-east-1")',
    });
  });

  it.each([
    ["us-east-1", "cn-north-1"],
    ["us-gov-west-1", "us-west-2"],
    ["cn-northwest-1", "us-gov-east-1"],
  ])("rejects regions of different partitions (%s and %s)", (primaryRegion, replicaRegion) => {
    // The cdn is off: CloudFront is not offered in the aws-cn and aws-us-gov partitions (config-cdn.test.ts).
    expect(onlyProblemOf({ primaryRegion, replicaRegion, cdn: { enabled: false } })).toEqual({
      field: "replicaRegion",
      value: replicaRegion,
      rule: `must be in the same AWS partition as primaryRegion "${primaryRegion}" (replication does not cross partitions)`,
    });
  });

  it.each([
    ["cn-north-1", "cn-northwest-1"],
    ["us-gov-east-1", "us-gov-west-1"],
    ["ap-southeast-2", "eu-west-1"],
  ])("accepts two distinct regions of one partition (%s and %s)", (primaryRegion, replicaRegion) => {
    expect(parseSettings({ primaryRegion, replicaRegion, cdn: { enabled: false } })).toMatchObject({
      primaryRegion,
      replicaRegion,
    });
  });
});

describe("kmsDeletionWindowDays", () => {
  it.each([6, 31, 7.5, "30", 0, -7, null])("rejects %j", (value) => {
    expect(onlyProblemOf({ kmsDeletionWindowDays: value })).toEqual({
      field: "kmsDeletionWindowDays",
      value,
      rule: DELETION_WINDOW_RULE,
    });
  });

  it.each([7, 30])("accepts the bound %d", (value) => {
    expect(parseSettings({ kmsDeletionWindowDays: value }).kmsDeletionWindowDays).toBe(value);
  });
});

describe("tags", () => {
  it.each(["aws:owner", "AWS:Owner"])("rejects the reserved key prefix in %j, naming the key", (key) => {
    expect(onlyProblemOf({ tags: { [key]: "x" } })).toEqual({
      field: `tags.${key}`,
      value: key,
      rule: 'tag keys must not begin with "aws:" (reserved)',
    });
  });

  it("rejects a key longer than 128 characters", () => {
    const key = "k".repeat(129);
    expect(onlyProblemOf({ tags: { [key]: "x" } })).toEqual({
      field: `tags.${key}`,
      value: key,
      rule: "tag keys must be 1 to 128 characters",
    });
  });

  it("rejects an empty key", () => {
    expect(onlyProblemOf({ tags: { "": "x" } })).toEqual({
      field: "tags.",
      value: "",
      rule: "tag keys must be 1 to 128 characters",
    });
  });

  it("rejects a value longer than 256 characters", () => {
    const value = "v".repeat(257);
    expect(onlyProblemOf({ tags: { Owner: value } })).toEqual({
      field: "tags.Owner",
      value,
      rule: "tag values must be at most 256 characters",
    });
  });

  it.each(["team*", "a<b", "x;y", "new\nline"])("rejects the characters of the key %j", (key) => {
    expect(onlyProblemOf({ tags: { [key]: "x" } })).toEqual({
      field: `tags.${key}`,
      value: key,
      rule: `tag keys ${TAG_CHARACTERS}`,
    });
  });

  it.each(["team*", "a<b", "x;y"])("rejects the characters of the value %j", (value) => {
    expect(onlyProblemOf({ tags: { Owner: value } })).toEqual({
      field: "tags.Owner",
      value,
      rule: `tag values ${TAG_CHARACTERS}`,
    });
  });

  it("rejects a tag value that is not a string", () => {
    expect(onlyProblemOf({ tags: { Owner: 42 } })).toMatchObject({ field: "tags.Owner", value: 42 });
  });

  it("rejects more than 45 tags, leaving room for the project's own", () => {
    const tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`tag${i}`, "x"]));
    expect(onlyProblemOf({ tags })).toEqual({
      field: "tags",
      value: tags,
      rule: "at most 45 tags (S3 allows 50 per bucket; the project adds its own)",
    });
  });

  it("accepts 45 tags, a 128-character key, a 256-character value and every allowed character", () => {
    const tags: Record<string, string> = Object.fromEntries(Array.from({ length: 43 }, (_, i) => [`tag${i}`, ""]));
    tags["k".repeat(128)] = "v".repeat(256);
    tags["Team Name_1.:/=+-@"] = "Équipe Web 2 _.:/=+-@";
    expect(parseSettings({ tags }).tags).toEqual(tags);
  });
});

describe("unknown keys", () => {
  it.each([
    [{ projet: "x" }, "projet", "x"],
    [{ primaryregion: "us-east-1" }, "primaryregion", "us-east-1"],
    [{ lifecycle: { noncurrentDayz: 3 } }, "lifecycle.noncurrentDayz", 3],
    [{ replication: { storageClas: "STANDARD" } }, "replication.storageClas", "STANDARD"],
    [{ logging: { retentionDay: 30 } }, "logging.retentionDay", 30],
  ])("rejects %j, naming the unknown key", (input, field, value) => {
    expect(onlyProblemOf(input)).toEqual({ field, value, rule: NOT_KNOWN });
  });

  it("names each unknown key on its own line", () => {
    const error = configErrorOf({ projcet: "a", regoin: "b", lifecycle: { days: 1 } });
    expect(error.problems.map((p) => p.field).sort()).toEqual(["lifecycle.days", "projcet", "regoin"]);
    expect(error.message.split("\n").filter((line) => line.includes(NOT_KNOWN))).toHaveLength(3);
  });
});

describe("lifecycle, logging and replication settings", () => {
  it.each([
    [60, 60],
    [60, 90],
  ])("rejects expiration after %d days when transition is after %d", (expiration, transition) => {
    expect(
      onlyProblemOf({ lifecycle: { noncurrentTransitionDays: transition, noncurrentExpirationDays: expiration } }),
    ).toEqual({
      field: "lifecycle.noncurrentExpirationDays",
      value: expiration,
      rule: `must be greater than lifecycle.noncurrentTransitionDays (${transition})`,
    });
  });

  it("compares a configured transition with the default expiration (365 days)", () => {
    expect(onlyProblemOf({ lifecycle: { noncurrentTransitionDays: 400 } })).toEqual({
      field: "lifecycle.noncurrentExpirationDays",
      value: undefined,
      rule: "must be greater than lifecycle.noncurrentTransitionDays (400)",
    });
  });

  it.each([
    ["noncurrentTransitionDays", 1.5],
    ["noncurrentTransitionDays", 0],
    ["noncurrentExpirationDays", 36501],
    ["abortIncompleteMultipartUploadDays", 0],
    ["abortIncompleteMultipartUploadDays", 2.5],
    ["abortIncompleteMultipartUploadDays", -1],
    ["abortIncompleteMultipartUploadDays", "7"],
  ])("rejects lifecycle.%s = %j: not a positive whole number of days within AWS limits", (key, value) => {
    expect(problemsOf({ lifecycle: { [key]: value } })).toContainEqual({
      field: `lifecycle.${key}`,
      value,
      rule: DAYS_RULE,
    });
  });

  it.each([0, 36501, 1.5, "90"])("rejects logging.retentionDays = %j", (value) => {
    expect(onlyProblemOf({ logging: { retentionDays: value } })).toEqual({
      field: "logging.retentionDays",
      value,
      rule: DAYS_RULE,
    });
  });

  it.each(["STANDARD", "REDUCED_REDUNDANCY", "glacier"])("rejects %j as the noncurrent transition class", (value) => {
    expect(onlyProblemOf({ lifecycle: { noncurrentStorageClass: value } })).toEqual({
      field: "lifecycle.noncurrentStorageClass",
      value,
      rule: TRANSITION_CLASSES,
    });
  });

  it.each(["STANDARD_IA", "ONEZONE_IA"])(
    "rejects a transition to %s earlier than 30 days (an S3 rule)",
    (storageClass) => {
      expect(
        onlyProblemOf({ lifecycle: { noncurrentStorageClass: storageClass, noncurrentTransitionDays: 29 } }),
      ).toEqual({
        field: "lifecycle.noncurrentTransitionDays",
        value: 29,
        rule: `must be at least 30 for a transition to ${storageClass} (an S3 rule)`,
      });
    },
  );

  it.each(["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "INTELLIGENT_TIERING"])(
    "accepts a 1-day transition to %s",
    (storageClass) => {
      expect(() =>
        parseSettings({ lifecycle: { noncurrentStorageClass: storageClass, noncurrentTransitionDays: 1 } }),
      ).not.toThrow();
    },
  );

  it.each(["REDUCED_REDUNDANCY", "OUTPOSTS", "standard", ""])(
    "rejects %j as the replication storage class",
    (value) => {
      expect(onlyProblemOf({ replication: { storageClass: value } })).toEqual({
        field: "replication.storageClass",
        value,
        rule: REPLICATION_CLASSES,
      });
    },
  );

  it("rejects a replicationTimeControl that is not a boolean", () => {
    expect(onlyProblemOf({ replication: { replicationTimeControl: "yes" } })).toEqual({
      field: "replication.replicationTimeControl",
      value: "yes",
      rule: "Expected boolean, received string",
    });
  });
});

describe("several problems", () => {
  const input = {
    project: "Bad_Project",
    primaryRegion: "mars-1",
    kmsDeletionWindowDays: 3,
    cloudfrontDistributionArn: "E2QWRUHAPOMQZL",
    cdn: { enabled: false },
    tags: { "aws:team": "x" },
    lifecycle: { noncurrentStorageClass: "STANDARD" },
    logging: { retentionDays: 0 },
    protectData: "yes",
    typo: true,
  };

  it("are reported at once in one ConfigError, each with its field", () => {
    const error = configErrorOf(input);
    expect(error).toBeInstanceOf(ConfigError);
    expect(new Set(error.problems.map((p) => p.field))).toEqual(
      new Set([
        "project",
        "primaryRegion",
        "kmsDeletionWindowDays",
        "cloudfrontDistributionArn",
        "tags.aws:team",
        "lifecycle.noncurrentStorageClass",
        "logging.retentionDays",
        "protectData",
        "typo",
      ]),
    );
  });

  it("are listed one per line under a header that counts them and names the source", () => {
    const error = configErrorOf(input);
    const [header, ...lines] = error.message.split("\n");
    expect(header).toBe(`Invalid site configuration (test), ${error.problems.length} problem(s):`);
    expect(lines).toEqual(error.problems.map((p) => `  - ${formatProblem(p)}`));
  });

  it("are reported together with a relation between valid fields", () => {
    const fields = problemsOf({ replicaRegion: "us-east-1", kmsDeletionWindowDays: 31 }).map((p) => p.field);
    expect(fields.sort()).toEqual(["kmsDeletionWindowDays", "replicaRegion"]);
  });
});

describe("a problem's wording", () => {
  it("names the field, echoes the value and states the rule", () => {
    expect(formatProblem({ field: "kmsDeletionWindowDays", value: 6, rule: DELETION_WINDOW_RULE })).toBe(
      `kmsDeletionWindowDays (got 6): ${DELETION_WINDOW_RULE}`,
    );
  });

  it("omits the value when the field is missing and names the whole config when there is no field", () => {
    expect(formatProblem({ field: "", value: undefined, rule: "must be a JSON object" })).toBe(
      "(config): must be a JSON object",
    );
  });
});

describe("the CI roles settings", () => {
  const s3 = { type: "s3", bucket: "acme-state-bucket" };

  it("accept a repository and leave the OIDC provider to site-ci", () => {
    expect(parseSettings({ backend: s3, ci: { githubRepository: "acme-corp/site.web_1" } }).ci).toEqual({
      githubRepository: "acme-corp/site.web_1",
    });
  });

  it("need the S3 backend, which the CI roles read and write", () => {
    expect(onlyProblemOf({ ci: { githubRepository: "acme/site" } })).toEqual({
      field: "ci",
      value: { githubRepository: "acme/site" },
      rule: 'needs backend.type "s3": the CI roles read and write the state in the state bucket',
    });
  });

  it.each(["acme", "acme/site/extra", "-acme/site", "acme/si te", ""])(
    "reject the repository %p, naming the owner/repo form",
    (repository) => {
      expect(onlyProblemOf({ backend: s3, ci: { githubRepository: repository } })).toEqual({
        field: "ci.githubRepository",
        value: repository,
        rule: 'must be a GitHub repository as "owner/repo" (letters, digits, "-", "_" and ".")',
      });
    },
  );

  it("require the repository", () => {
    expect(onlyProblemOf({ backend: s3, ci: {} })).toMatchObject({
      field: "ci.githubRepository",
      rule: expect.stringMatching(/^is required/),
    });
  });

  it("reject an OIDC provider ARN that is not GitHub's, and unknown keys", () => {
    const problems = problemsOf({
      backend: s3,
      ci: {
        githubRepository: "acme/site",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/accounts.google.com",
        branch: "main",
      },
    });
    expect(problems.map((p) => p.field).sort()).toEqual(["ci.branch", "ci.oidcProviderArn"]);
    expect(problems.find((p) => p.field === "ci.oidcProviderArn")?.rule).toMatch(/GitHub OIDC provider/);
  });
});
