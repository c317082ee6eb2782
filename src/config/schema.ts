import { z } from "zod";
import { parseArn } from "../common/arn";
import { isRecord } from "../common/json";
import {
  AWS_REGIONS,
  KMS_DELETION_WINDOW,
  MAX_LIFECYCLE_DAYS,
  REPLICATION_STORAGE_CLASSES,
  TRANSITION_MINIMUM_DAYS,
  TRANSITION_STORAGE_CLASSES,
  partitionOf,
} from "./aws-facts";
import { KEY_ISSUE } from "./key-issue";
import { PLACEHOLDER_ACCOUNT_ID, bucketNameProblems, bucketNames } from "./names";
import { cdnRelationProblems, cdnSchema } from "./cdn-schema";
import { publishSchema } from "./publish-settings";

/**
 * The site configuration: what `site.config.json` may hold. Every field is optional; the
 * defaults are the runbook's values. Unknown keys are errors (a typo must not be ignored).
 * The README's config reference mirrors this file.
 */

/** A whole number of days within [min, max]: one rule, one message. */
const wholeDays = (min: number, max: number, why = "") =>
  z
    .number({ invalid_type_error: `must be a whole number of days from ${min} to ${max}${why}` })
    .refine((v) => Number.isInteger(v) && v >= min && v <= max, {
      message: `must be a whole number of days from ${min} to ${max}${why}`,
    });

/** Lifecycle day counts: positive, and bounded by MAX_LIFECYCLE_DAYS. */
const days = () => wholeDays(1, MAX_LIFECYCLE_DAYS, " (at most 100 years)");

/** The runbook's regions: the primary (CloudFront origin) and the replica (replication target). */
const DEFAULT_REGIONS = { primary: "us-east-1", replica: "us-west-2" } as const;

const region = z.string().refine((r) => AWS_REGIONS.includes(r), {
  message: `must be a known AWS region such as "us-east-1" (see src/config/aws-facts.ts)`,
});

/** AWS tag rules: https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Re-exported from its own module (sub-schema files use it too); see key-issue.ts. */
export { KEY_ISSUE };

/** Every rule a tag key breaks, each as an issue flagged {@link KEY_ISSUE}. */
const tagKey = z.string().superRefine((key, ctx) => {
  const broken = (message: string) => ctx.addIssue({ code: "custom", message, params: KEY_ISSUE });
  if (key.length < 1 || key.length > 128) broken("tag keys must be 1 to 128 characters");
  if (!TAG_CHARACTERS.test(key)) broken("tag keys may contain only letters, digits, spaces and _ . : / = + - @");
  if (key.toLowerCase().startsWith("aws:")) broken('tag keys must not begin with "aws:" (reserved)');
});
const tagValue = z
  .string()
  .max(256, { message: "tag values must be at most 256 characters" })
  .regex(TAG_CHARACTERS, { message: "tag values may contain only letters, digits, spaces and _ . : / = + - @" });

/** What an ARN field of the settings requires of the ARN's parts (parsed by the one ARN module). */
interface ArnShape {
  readonly service: string;
  /** Whether the ARN names a region (KMS) or leaves it empty (CloudFront, IAM: global). */
  readonly regional: boolean;
  /** The whole resource part. */
  readonly resource: RegExp;
}

/** The partitions this app deploys to (those of src/config/aws-facts.ts's regions). */
const PARTITIONS: readonly string[] = ["aws", "aws-cn", "aws-us-gov"];

/** Whether `text` is an ARN of `shape`, in a known partition and a 12-digit account. */
function isArnOf(shape: ArnShape, text: string): boolean {
  const arn = parseArn(text);
  return (
    arn !== undefined &&
    PARTITIONS.includes(arn.partition) &&
    arn.service === shape.service &&
    (shape.regional ? AWS_REGIONS.includes(arn.region) : arn.region === "") &&
    /^\d{12}$/.test(arn.account) &&
    shape.resource.test(arn.resource)
  );
}

/** arn:<partition>:cloudfront::<12-digit account>:distribution/<ID> */
const DISTRIBUTION_ARN: ArnShape = {
  service: "cloudfront",
  regional: false,
  resource: /^distribution\/[A-Z0-9]{1,128}$/,
};

/** arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (a key id is a UUID). */
const KMS_KEY_ARN: ArnShape = { service: "kms", regional: true, resource: /^key\/[0-9a-f-]{36}$/ };

/** arn:<partition>:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com */
const GITHUB_OIDC_PROVIDER_ARN: ArnShape = {
  service: "iam",
  regional: false,
  resource: /^oidc-provider\/token\.actions\.githubusercontent\.com$/,
};

/** A string field that must be an ARN of `shape`; `message` says which. */
function arnField(shape: ArnShape, message: string) {
  return z.string().refine((text) => isArnOf(shape, text), { message });
}

const replicationSchema = z
  .object({
    /** Storage class of the replicas. */
    storageClass: z
      .enum(REPLICATION_STORAGE_CLASSES, {
        errorMap: () => ({ message: `must be one of ${REPLICATION_STORAGE_CLASSES.join(", ")}` }),
      })
      .default("STANDARD"),
    /** S3 Replication Time Control (15-minute SLA, with metrics); costs extra. */
    replicationTimeControl: z.boolean().default(false),
  })
  .strict();

const lifecycleSchema = z
  .object({
    /** Days after which a noncurrent version moves to `noncurrentStorageClass`. */
    noncurrentTransitionDays: days().default(30),
    /** Archive class for noncurrent versions. */
    noncurrentStorageClass: z
      .enum(TRANSITION_STORAGE_CLASSES, {
        errorMap: () => ({
          message: `must be one of ${TRANSITION_STORAGE_CLASSES.join(", ")} (S3 lifecycle transition targets)`,
        }),
      })
      .default("GLACIER"),
    /** Days after which a noncurrent version is deleted; must exceed the transition days. */
    noncurrentExpirationDays: days().default(365),
    /** Days after which an unfinished multipart upload is aborted and its parts deleted. */
    abortIncompleteMultipartUploadDays: days().default(7),
  })
  .strict()
  .superRefine((lc, ctx) => {
    if (lc.noncurrentExpirationDays <= lc.noncurrentTransitionDays) {
      ctx.addIssue({
        code: "custom",
        path: ["noncurrentExpirationDays"],
        message: `must be greater than lifecycle.noncurrentTransitionDays (${lc.noncurrentTransitionDays})`,
      });
    }
    const minimum = TRANSITION_MINIMUM_DAYS[lc.noncurrentStorageClass];
    if (minimum !== undefined && lc.noncurrentTransitionDays < minimum) {
      ctx.addIssue({
        code: "custom",
        path: ["noncurrentTransitionDays"],
        message: `must be at least ${minimum} for a transition to ${lc.noncurrentStorageClass} (an S3 rule)`,
      });
    }
  });

const loggingSchema = z
  .object({
    /** Days server access logs are kept in the log buckets. */
    retentionDays: days().default(90),
  })
  .strict();

/** Where the storage stack's state lives in the state bucket, unless `backend.key` says otherwise. */
const DEFAULT_STATE_OBJECT_KEY = "site-storage/terraform.tfstate";

/** S3 object key of a state file: no leading "/", no empty segments. */
const STATE_OBJECT_KEY = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/**
 * Where Terraform keeps the state of the storage stack. `local` (the default) writes
 * `terraform.site-storage.tfstate` beside the project; `s3` keeps it in a bucket made by the
 * `site-state` bootstrap stack, locked with S3 native locking (`use_lockfile`, Terraform 1.10+).
 * Backend settings cannot use values read from AWS (Terraform reads them before anything
 * else), so the state bucket is named here.
 */
const backendSchema = z.discriminatedUnion(
  "type",
  [
    z
      .object({
        type: z.literal("local"),
        /**
         * The state file; relative paths are taken from the project folder.
         * @default cdktf's: `terraform.site-storage.tfstate` in the project folder
         */
        path: z.string().min(1, { message: "must name a file" }).optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal("s3"),
        /** The state bucket (the `state_bucket_name` output of the `site-state` stack). */
        bucket: z
          .string({
            required_error:
              'is required when backend.type is "s3" (the state_bucket_name output of the site-state stack)',
          })
          .superRefine((name, ctx) => {
            for (const problem of bucketNameProblems(name)) {
              ctx.addIssue({ code: "custom", message: `an S3 bucket name ${problem}` });
            }
          }),
        /** Object key of the state file. */
        key: z
          .string()
          .regex(STATE_OBJECT_KEY, {
            message:
              'must be an S3 key like "site-storage/terraform.tfstate" (no leading "/", no empty segments, no spaces)',
          })
          .default(DEFAULT_STATE_OBJECT_KEY),
        /** Region of the state bucket; defaults to primaryRegion. */
        region: region.optional(),
        /**
         * KMS key (ARN) the backend names when it writes the state and the lock file. Without it the
         * backend sends no encryption header, so the state bucket's default applies: SSE-KMS with the
         * `site-state` key.
         */
        kmsKeyArn: arnField(
          KMS_KEY_ARN,
          "must be a KMS key ARN: arn:aws:kms:<region>:<12-digit account>:key/<key id>",
        ).optional(),
      })
      .strict(),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator"
        ? { message: 'must be "local" or "s3"' }
        : { message: ctx.defaultError },
  },
);

/** `owner/repo`, as GitHub spells a repository: what the OIDC token's `sub` names. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/**
 * The CI roles (`site-ci`): present when the GitHub workflow deploys, with the repository whose
 * workflow may assume them. They need the state in S3 (`backend.type` "s3").
 */
const ciSchema = z
  .object({
    /** The repository, `owner/repo`. */
    githubRepository: z
      .string({ required_error: 'is required: the repository whose workflow assumes the CI roles, as "owner/repo"' })
      .regex(GITHUB_REPOSITORY, {
        message: 'must be a GitHub repository as "owner/repo" (letters, digits, "-", "_" and ".")',
      }),
    /** An existing GitHub OIDC provider of the account; without it `site-ci` creates one. */
    oidcProviderArn: arnField(
      GITHUB_OIDC_PROVIDER_ARN,
      "must be the ARN of the account's GitHub OIDC provider: arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com",
    ).optional(),
  })
  .strict();

export const settingsSchema = z
  .object({
    /** Prefix of every name: buckets `<project>-primary-<account>`, aliases `alias/<project>-primary`. */
    project: z
      .string()
      .superRefine((project, ctx) => {
        // Report each broken rule once, naming every derived bucket name that breaks it.
        const byRule = new Map<string, string[]>();
        for (const name of Object.values(bucketNames(project, PLACEHOLDER_ACCOUNT_ID))) {
          for (const problem of bucketNameProblems(name)) {
            const rule = problem.replace(/ \(it is \d+\)$/, "");
            byRule.set(rule, [...(byRule.get(rule) ?? []), `"${name}"`]);
          }
        }
        for (const [rule, names] of byRule) {
          ctx.addIssue({
            code: "custom",
            message: `derives bucket name(s) ${names.join(", ")} (with a 12-digit account id); an S3 bucket name ${rule}`,
          });
        }
      })
      .default("portfolio-site"),
    /** Region of the primary bucket and key (the CloudFront origin). */
    primaryRegion: region.default(DEFAULT_REGIONS.primary),
    /** Region of the replica bucket and key (the Cross-Region Replication target). */
    replicaRegion: region.default(DEFAULT_REGIONS.replica),
    /** Waiting period before a scheduled KMS key deletion happens. */
    kmsDeletionWindowDays: wholeDays(KMS_DELETION_WINDOW.min, KMS_DELETION_WINDOW.max).default(30),
    /**
     * Your own CloudFront distribution, allowed to read the primary bucket and decrypt with its key.
     * Only with `cdn.enabled: false` (otherwise the app declares the distribution).
     */
    cloudfrontDistributionArn: arnField(
      DISTRIBUTION_ARN,
      "must be a CloudFront distribution ARN: arn:aws:cloudfront::<12-digit account>:distribution/<ID>",
    ).optional(),
    /** Tags applied to every resource, as the providers' default tags. */
    tags: z
      .record(tagKey, tagValue)
      .default({})
      .refine((t) => Object.keys(t).length <= 45, {
        message: "at most 45 tags (S3 allows 50 per bucket; the project adds its own)",
      }),
    /** Cross-Region Replication settings. */
    replication: replicationSchema.default({}),
    /** Lifecycle of the primary and replica buckets. */
    lifecycle: lifecycleSchema.default({}),
    /** Server access logging. */
    logging: loggingSchema.default({}),
    /**
     * Data-loss protection: buckets and keys get Terraform `prevent_destroy`, so no plan can delete
     * or replace them. Turn off only to tear a deployment down on purpose.
     */
    protectData: z.boolean().default(true),
    /** Where Terraform state lives: `{ "type": "local" }` (default) or `{ "type": "s3", "bucket": … }`. */
    backend: backendSchema.default({ type: "local" }),
    /** The CI roles stack `site-ci`, synthesized only when this is set. */
    ci: ciSchema.optional(),
    /** The CloudFront distribution in front of the primary bucket (on by default). */
    cdn: cdnSchema.default({}),
    /** `npm run publish`: the site's folder, fingerprints, headers, invalidation. */
    publish: publishSchema.default({}),
  })
  .strict();

/**
 * Rules between top-level fields. Zod skips an object's refinements when any field fails, so
 * these run on the raw input, each only when the fields it relates are valid on their own:
 * every problem is still reported in one pass.
 */
export function relationProblems(raw: Record<string, unknown>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const backendType = isRecord(raw.backend) ? raw.backend.type : "local";
  if (raw.ci !== undefined && backendType !== "s3") {
    problems.push({
      path: ["ci"],
      message: 'needs backend.type "s3": the CI roles read and write the state in the state bucket',
    });
  }
  const primary = region.default(DEFAULT_REGIONS.primary).safeParse(raw.primaryRegion);
  const replica = region.default(DEFAULT_REGIONS.replica).safeParse(raw.replicaRegion);
  problems.push(...cdnRelationProblems(raw, primary.success ? primary.data : undefined));
  if (!primary.success || !replica.success) return problems;
  if (primary.data === replica.data) {
    problems.push({ path: ["replicaRegion"], message: `must differ from primaryRegion (both are "${primary.data}")` });
  } else if (partitionOf(primary.data) !== partitionOf(replica.data)) {
    problems.push({
      path: ["replicaRegion"],
      message: `must be in the same AWS partition as primaryRegion "${primary.data}" (replication does not cross partitions)`,
    });
  }
  return problems;
}

/** The validated, fully defaulted settings every stack is built from. */
export type Settings = z.output<typeof settingsSchema>;
/** What a config file may contain (every field optional). */
export type SettingsInput = z.input<typeof settingsSchema>;

/** The region of the Terraform state bucket: `backend.region` when set, else the primary region. */
export function stateRegion(settings: Settings): string {
  return settings.backend.type === "s3" ? (settings.backend.region ?? settings.primaryRegion) : settings.primaryRegion;
}

/** The object key of the storage stack's state in the state bucket. */
export function stateObjectKey(settings: Settings): string {
  return settings.backend.type === "s3" ? settings.backend.key : DEFAULT_STATE_OBJECT_KEY;
}

/**
 * The settings without `ci`: for a deployment that keeps its state somewhere other than the S3
 * backend (the local run, the emulator session), where the CI roles, which need that backend,
 * have no place.
 */
export function withoutCi(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => key !== "ci"));
}
