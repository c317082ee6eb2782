/**
 * The site rule pack: an Aspect that applies every rule of `src/rules/` to the resources of a
 * stack, and fails synth on error findings.
 *
 * How it runs:
 * - `SiteRulePack.applyTo(appOrStack)` adds the pack to each stack (cdktf invokes Aspects per
 *   stack, from the stack down: an Aspect added to the App itself is never invoked).
 * - At synth, cdktf visits every node: the pack collects the stack's resources and providers,
 *   and on the stack node adds a validation (`node.addValidation`). Validations run after all
 *   Aspects and before any file of the stack is written; the pack's validation evaluates the
 *   rules then, so relationships (a bucket and its versioning, policy, logging…) are complete.
 *   Any error finding or bad suppression fails synth with one line per problem naming the rule,
 *   the resource's construct path and the fix. `Testing.synth(stack, true)` runs it too.
 * - `report(stack)` gives every rule's result on every resource (what `npm run check` prints).
 *   It never writes anything; printing is the caller's job (`enforce.ts`, `src/cli/check.ts`).
 *
 * Suppressions (`suppressRules` in `suppressions.ts`) exempt resources at or below a construct
 * from one rule, with a reason. A suppression that names no rule of the pack, or matches no
 * non-compliant result, is an error: it must not outlive the problem it excuses.
 */
import { Aspects, IAspect, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { BucketFacts, IamFacts, KeyFacts, ResourceFacts, StackFacts, stackFacts } from "./facts";
import { Finding, Level, RuleEvaluation, RuleReport, SuppressionProblem, failsSynth } from "./findings";
import { formatFinding, formatSuppressionProblem, unknownRule, unmatchedSuppression } from "./messages";
import { RuleResult } from "./result";
import { suppressionsOn } from "./suppressions";
import { iamNoWildcardActions } from "./checks/iam/iam-no-wildcard-actions";
import { iamNoWildcardResources } from "./checks/iam/iam-no-wildcard-resources";
import { kmsKeyPolicyDefined } from "./checks/kms/kms-key-policy-defined";
import { kmsKeyPolicyNoOpenPrincipal } from "./checks/kms/kms-key-policy-no-open-principal";
import { kmsKeyRotation } from "./checks/kms/kms-key-rotation";
import { regionConsistency } from "./checks/region-consistency";
import { s3BucketAbortIncompleteUploads } from "./checks/s3/s3-bucket-abort-incomplete-uploads";
import { s3BucketAccessLogging } from "./checks/s3/s3-bucket-access-logging";
import { s3BucketDefaultEncryptionKms } from "./checks/s3/s3-bucket-default-encryption-kms";
import { s3BucketForceDestroyOff } from "./checks/s3/s3-bucket-force-destroy-off";
import { s3BucketKeyEnabled } from "./checks/s3/s3-bucket-key-enabled";
import { s3BucketOwnerEnforced } from "./checks/s3/s3-bucket-owner-enforced";
import { s3BucketPublicAccessBlocked } from "./checks/s3/s3-bucket-public-access-blocked";
import { s3BucketReplication } from "./checks/s3/s3-bucket-replication";
import { s3BucketTlsOnly } from "./checks/s3/s3-bucket-tls-only";
import { s3BucketVersioningEnabled } from "./checks/s3/s3-bucket-versioning-enabled";

/** What the pack says about a rule, besides the check itself. */
export interface RuleInfo {
  /** Stable ID: `SITE-<area>-<nnn>`. Never reused for another meaning. */
  readonly id: string;
  /** `error` fails synth; `warning` is printed. */
  readonly level: Level;
  /** What is wrong, as in "S3 bucket versioning is not enabled". */
  readonly message: string;
  /** Why the rule exists. */
  readonly rationale: string;
  /** How to comply. */
  readonly fix: string;
  /** The checkov checks it corresponds to (https://www.checkov.io/5.Policy%20Index/terraform.html). */
  readonly checkov: readonly string[];
  /** The AWS Security Hub (Foundational Security Best Practices) controls it corresponds to. */
  readonly securityHub: readonly string[];
}

/** The subjects rules judge, by kind (see `facts.ts`). */
interface Subjects {
  readonly bucket: BucketFacts;
  readonly key: KeyFacts;
  readonly iam: IamFacts;
  readonly resource: ResourceFacts;
}

/** A rule of the pack: its info, the kind of subject it judges, and its check. */
export type RuleDefinition = {
  [K in keyof Subjects]: RuleInfo & { readonly subject: K; readonly check: (facts: Subjects[K]) => RuleResult };
}[keyof Subjects];

/**
 * The rules, in report order. Levels: `error` for the controls the project promises (secure by
 * default, no data loss, least privilege, regions kept apart); `warning` for cost hygiene.
 */
export const SITE_RULES: readonly RuleDefinition[] = [
  {
    id: "SITE-S3-001",
    level: "error",
    subject: "bucket",
    check: s3BucketVersioningEnabled,
    message: "S3 bucket versioning is not enabled",
    rationale:
      "Versioning keeps every overwritten or deleted object recoverable, and Cross-Region Replication requires it at both ends.",
    fix: 'add an aws_s3_bucket_versioning for the bucket with versioning_configuration { status = "Enabled" } (SecureBucket does)',
    checkov: ["CKV_AWS_21"],
    securityHub: ["S3.14"],
  },
  {
    id: "SITE-S3-002",
    level: "error",
    subject: "bucket",
    check: s3BucketDefaultEncryptionKms,
    message: "S3 bucket default encryption is not SSE-KMS with a customer-managed key (SSE-S3 for a log bucket)",
    rationale:
      "SSE-KMS puts every read behind a key policy and CloudTrail. A bucket that receives server access logs must use SSE-S3 instead: S3 log delivery cannot write to an SSE-KMS bucket; checkov's CKV_AWS_145 flags such log buckets and needs a skip there.",
    fix: 'set sse_algorithm = "aws:kms" and kms_master_key_id = a same-region customer-managed key ARN in aws_s3_bucket_server_side_encryption_configuration; for a log bucket, sse_algorithm = "AES256"',
    checkov: ["CKV_AWS_145"],
    securityHub: ["S3.17"],
  },
  {
    id: "SITE-S3-003",
    level: "warning",
    subject: "bucket",
    check: s3BucketKeyEnabled,
    message: "S3 Bucket Key is not enabled for SSE-KMS",
    rationale:
      "Without the Bucket Key, S3 calls KMS for every object: more cost and more KMS request quota, for no added protection.",
    fix: "set bucket_key_enabled = true on the SSE-KMS rule of aws_s3_bucket_server_side_encryption_configuration",
    checkov: [],
    securityHub: [],
  },
  {
    id: "SITE-S3-004",
    level: "error",
    subject: "bucket",
    check: s3BucketPublicAccessBlocked,
    message: "S3 bucket public access is not fully blocked",
    rationale:
      "The four public access block flags stop public ACLs and public bucket policies, whatever a later change grants.",
    fix: "add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true",
    checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
    securityHub: ["S3.8"],
  },
  {
    id: "SITE-S3-005",
    level: "error",
    subject: "bucket",
    check: s3BucketOwnerEnforced,
    message: "S3 bucket ACLs are not disabled (object ownership is not BucketOwnerEnforced)",
    rationale:
      "With ACLs disabled, access is decided by policies alone and the bucket owner owns every object, including replicas and logs.",
    fix: 'add an aws_s3_bucket_ownership_controls with rule { object_ownership = "BucketOwnerEnforced" }',
    checkov: ["CKV2_AWS_65"],
    securityHub: ["S3.12"],
  },
  {
    id: "SITE-S3-006",
    level: "error",
    subject: "bucket",
    check: s3BucketAccessLogging,
    message: "S3 bucket server access logging is not enabled",
    rationale:
      "Access logs record every request to the site's data, for audits and incident response. Log buckets themselves are exempt.",
    fix: "add an aws_s3_bucket_logging with target_bucket = a log bucket of the same region (SecureBucket's accessLogs prop)",
    checkov: ["CKV_AWS_18"],
    securityHub: ["S3.9"],
  },
  {
    id: "SITE-S3-007",
    level: "error",
    subject: "bucket",
    check: s3BucketReplication,
    message: "S3 bucket is not replicated to another region",
    rationale:
      "Cross-Region Replication keeps a copy of the site's data when a region is lost. Replication destinations and log buckets are exempt.",
    fix: "add an aws_s3_bucket_replication_configuration with an enabled rule and a destination bucket in the other region (ReplicationLink)",
    checkov: ["CKV_AWS_144"],
    securityHub: ["S3.7"],
  },
  {
    id: "SITE-S3-008",
    level: "warning",
    subject: "bucket",
    check: s3BucketAbortIncompleteUploads,
    message: "S3 bucket has no lifecycle rule aborting incomplete multipart uploads",
    rationale: "Parts of unfinished multipart uploads are stored and billed until deleted, and never show in listings.",
    fix: "add an aws_s3_bucket_lifecycle_configuration rule for every object (filter {}) with abort_incomplete_multipart_upload { days_after_initiation = N }",
    checkov: ["CKV2_AWS_61", "CKV_AWS_300"],
    securityHub: ["S3.10", "S3.13"],
  },
  {
    id: "SITE-S3-009",
    level: "error",
    subject: "bucket",
    check: s3BucketTlsOnly,
    message: "S3 bucket policy does not deny requests without TLS",
    rationale:
      "A Deny on aws:SecureTransport false makes every request, by anyone, use TLS. checkov has no equivalent check for private buckets.",
    fix: 'add a bucket policy statement: Effect "Deny", Principal "*", Action "s3:*", Resource the bucket ARN and ARN/*, Condition { Bool: { "aws:SecureTransport": "false" } } (tlsOnlyStatements)',
    checkov: [],
    securityHub: ["S3.5"],
  },
  {
    id: "SITE-S3-010",
    level: "error",
    subject: "bucket",
    check: s3BucketForceDestroyOff,
    message: "S3 bucket has force_destroy on",
    rationale:
      "force_destroy lets Terraform empty the bucket, every version included, to delete it: one mistaken plan loses the data.",
    fix: "leave force_destroy unset or false on aws_s3_bucket",
    checkov: [],
    securityHub: [],
  },
  {
    id: "SITE-KMS-001",
    level: "error",
    subject: "key",
    check: kmsKeyRotation,
    message: "KMS key rotation is not enabled",
    rationale:
      "Automatic rotation replaces the key material yearly (older material still decrypts), limiting what one exposed version protects.",
    fix: "set enable_key_rotation = true on aws_kms_key (RegionalKey does)",
    checkov: ["CKV_AWS_7"],
    securityHub: ["KMS.4"],
  },
  {
    id: "SITE-KMS-002",
    level: "error",
    subject: "key",
    check: kmsKeyPolicyDefined,
    message: "KMS key has no key policy of its own",
    rationale:
      "An explicit key policy states who may use and manage the key, where a reviewer (and this pack) can read it.",
    fix: "set policy on aws_kms_key (keyPolicyFor builds one) or add an aws_kms_key_policy",
    checkov: ["CKV2_AWS_64"],
    securityHub: [],
  },
  {
    id: "SITE-KMS-003",
    level: "error",
    subject: "key",
    check: kmsKeyPolicyNoOpenPrincipal,
    message: "KMS key policy lets an unconditioned wildcard or service principal use the key",
    rationale:
      "A wildcard principal without an account condition makes the key public; a service principal without a condition lets the service act for any account (confused deputy).",
    fix: 'name the principals, or add a Condition: aws:SourceAccount / aws:SourceArn for a service principal, an account or organization key (aws:PrincipalAccount, kms:CallerAccount, aws:PrincipalOrgID) for "*"',
    checkov: ["CKV_AWS_33"],
    securityHub: ["KMS.5"],
  },
  {
    id: "SITE-IAM-001",
    level: "error",
    subject: "iam",
    check: iamNoWildcardActions,
    message: 'IAM policy allows "*" or whole-service wildcard actions',
    rationale:
      "Least privilege: a role should be allowed the actions it needs, by name, so a new API never becomes a new permission.",
    fix: 'list the actions the role needs instead of "*", "<service>:*" or NotAction',
    checkov: ["CKV_AWS_63"],
    securityHub: ["IAM.1", "IAM.21"],
  },
  {
    id: "SITE-IAM-002",
    level: "error",
    subject: "iam",
    check: iamNoWildcardResources,
    message: 'IAM policy grants restrictable actions on "*" resources',
    rationale:
      "Least privilege: actions that support resource-level permissions should name the buckets, objects and keys they act on.",
    fix: 'replace Resource "*" with the exact ARNs (bucketArn, objectsArn, a key ARN); keep "*" only for actions without resource-level permissions',
    checkov: ["CKV_AWS_355"],
    securityHub: [],
  },
  {
    id: "SITE-REG-001",
    level: "error",
    subject: "resource",
    check: regionConsistency,
    message: "resource uses a bucket or KMS key of another region",
    rationale:
      "Each region must stand alone: S3 rejects a default-encryption key or a log target of another region, and a cross-region dependency fails with that region. Only replication must cross, to its destination bucket and key.",
    fix: "use the bucket and key created with the same provider as the resource (a construct takes its region's provider and key)",
    checkov: [],
    securityHub: [],
  },
];

/** The resource a subject is about (the bucket for bucket facts, the key for key facts, …). */
function resourceOf(rule: RuleDefinition, facts: StackFacts): { resource: TerraformResource; result: RuleResult }[] {
  switch (rule.subject) {
    case "bucket":
      return facts.buckets.map((f) => ({ resource: f.bucket, result: rule.check(f) }));
    case "key":
      return facts.keys.map((f) => ({ resource: f.key, result: rule.check(f) }));
    case "iam":
      return facts.iam.map((f) => ({ resource: f.resource, result: rule.check(f) }));
    case "resource":
      return facts.resources.map((f) => ({ resource: f.resource, result: rule.check(f) }));
  }
}

/** A stored suppression, where it was found, and whether a finding used it. */
interface PlacedSuppression {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  used: boolean;
}

function pathOf(node: IConstruct): string {
  return node.node.path === "" ? "(app)" : node.node.path;
}

/** A report, and the resources and providers it judged. */
interface CachedReport {
  readonly judged: readonly IConstruct[];
  readonly report: RuleReport;
}

/** True when two lists hold the same constructs in the same order. */
function sameNodes(a: readonly IConstruct[], b: readonly IConstruct[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}

/** The rule pack Aspect. One instance may serve several stacks; it keeps what it saw per stack. */
export class SiteRulePack implements IAspect {
  /** The rules applied, in report order. */
  readonly rules: readonly RuleDefinition[] = SITE_RULES;
  private readonly seen = new Map<TerraformStack, Set<TerraformResource | TerraformProvider>>();
  private readonly validated = new Set<TerraformStack>();
  private readonly appliedTo: TerraformStack[] = [];
  private readonly reports = new Map<TerraformStack, CachedReport>();

  /**
   * Adds a new pack to `scope` when it is a stack, else to every stack below it (an App).
   * Returns the pack, to read its reports.
   */
  static applyTo(scope: IConstruct): SiteRulePack {
    const pack = new SiteRulePack();
    const stacks = TerraformStack.isStack(scope) ? [scope] : scope.node.findAll().filter(TerraformStack.isStack);
    if (stacks.length === 0) throw new Error(`SiteRulePack.applyTo: no TerraformStack at or below ${pathOf(scope)}`);
    for (const stack of stacks) {
      Aspects.of(stack).add(pack);
      pack.appliedTo.push(stack);
    }
    return pack;
  }

  /** The stacks `applyTo` added the pack to, in tree order. */
  get stacks(): readonly TerraformStack[] {
    return this.appliedTo;
  }

  /** Aspect entry point: collects resources and providers; on a stack, adds the pack's validation. */
  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      this.validate(node);
      return;
    }
    if (node instanceof TerraformResource || node instanceof TerraformProvider) {
      const stack = TerraformStack.of(node);
      const seen = this.seen.get(stack) ?? new Set();
      seen.add(node);
      this.seen.set(stack, seen);
    }
  }

  /**
   * Every rule's result on every resource of `stack`. Visits the stack's nodes first (as the
   * Aspect does at synth; visiting twice changes nothing), so it works before or after synth.
   * A resource or provider added or removed since the last report makes a new one; a changed
   * property or suppression of an existing construct does not (nothing changes them between
   * the two calls).
   */
  report(stack: TerraformStack): RuleReport {
    const tree = stack.node.findAll();
    // `main.ts` asks for every stack's report before synth, and synth's validation asks again:
    // the rules run once while the resources and providers stay the same (synth itself adds a
    // default backend, which no rule reads).
    const judged = tree.filter((n) => n instanceof TerraformResource || n instanceof TerraformProvider);
    const cached = this.reports.get(stack);
    if (cached !== undefined && sameNodes(cached.judged, judged)) return cached.report;
    const report = this.evaluate(stack, tree);
    this.reports.set(stack, { judged, report });
    return report;
  }

  /** Every rule on every resource of `stack`, whose nodes are `tree`. */
  private evaluate(stack: TerraformStack, tree: readonly IConstruct[]): RuleReport {
    for (const node of tree) this.visit(node);
    // What the Aspect collected, less anything removed from the tree since.
    const inTree = new Set<IConstruct>(tree);
    const seen = [...(this.seen.get(stack) ?? [])].filter((n) => inTree.has(n));
    const facts = stackFacts(
      stack,
      seen.filter((n): n is TerraformResource => n instanceof TerraformResource),
      seen.filter((n): n is TerraformProvider => n instanceof TerraformProvider),
    );
    const suppressions = this.placedSuppressions(stack);
    const evaluations: RuleEvaluation[] = [];
    const errors: Finding[] = [];
    const warnings: Finding[] = [];
    for (const rule of this.rules) {
      for (const { resource, result } of resourceOf(rule, facts)) {
        const evaluation: RuleEvaluation = {
          ruleId: rule.id,
          rule: rule.check.name,
          level: rule.level,
          resourcePath: resource.node.path,
          address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
          result: result.outcome,
          ...(result.detail !== undefined ? { detail: result.detail } : {}),
          checkov: rule.checkov,
          securityHub: rule.securityHub,
        };
        if (result.outcome !== "non-compliant") {
          evaluations.push(evaluation);
          continue;
        }
        const suppression = this.suppressionFor(rule.id, resource, suppressions);
        if (suppression !== undefined) {
          evaluations.push({
            ...evaluation,
            result: "suppressed",
            suppression: { path: suppression.path, reason: suppression.reason },
          });
          continue;
        }
        evaluations.push(evaluation);
        const finding: Finding = { ...evaluation, message: rule.message, rationale: rule.rationale, fix: rule.fix };
        (rule.level === "error" ? errors : warnings).push(finding);
      }
    }
    const known = this.rules.map((r) => r.id);
    const suppressionProblems: SuppressionProblem[] = suppressions
      .filter((s) => !s.used)
      .map((s) => ({
        path: s.path,
        id: s.id,
        reason: s.reason,
        problem: known.includes(s.id) ? unmatchedSuppression() : unknownRule(known),
      }));
    return { stack: stack.node.path, evaluations, errors, warnings, suppressionProblems };
  }

  /** Adds, once per stack, the validation that fails synth on error findings. */
  private validate(stack: TerraformStack): void {
    if (this.validated.has(stack)) return;
    this.validated.add(stack);
    stack.node.addValidation({
      validate: () => {
        const report = this.report(stack);
        if (!failsSynth(report)) return [];
        return [...report.errors.map(formatFinding), ...report.suppressionProblems.map(formatSuppressionProblem)];
      },
    });
  }

  /** Every suppression that can reach a resource of the stack: on the stack, its ancestors or below. */
  private placedSuppressions(stack: TerraformStack): PlacedSuppression[] {
    const nodes = [...stack.node.scopes, ...stack.node.findAll().slice(1)];
    return nodes.flatMap((node) =>
      suppressionsOn(node).map((s) => ({ path: pathOf(node), id: s.id, reason: s.reason, used: false })),
    );
  }

  /** The nearest suppression of `ruleId` at or above `resource`; marks every match used. */
  private suppressionFor(
    ruleId: string,
    resource: IConstruct,
    suppressions: PlacedSuppression[],
  ): PlacedSuppression | undefined {
    const scopes = new Set(resource.node.scopes.map(pathOf));
    const matches = suppressions.filter((s) => s.id === ruleId && scopes.has(s.path));
    for (const match of matches) match.used = true;
    return matches[matches.length - 1];
  }
}
