/**
 * The site rule catalog: every rule the pack applies, as data (ID, level, wording, the checkov and
 * AWS Security Hub mappings, the kind of subject it judges, and its function). The engine
 * (`pack.ts`, `evaluation.ts`) applies whatever catalog it is given and knows no rule.
 */
import iamNoWildcardActions from "./checks/iam/iam-no-wildcard-actions";
import iamNoWildcardResources from "./checks/iam/iam-no-wildcard-resources";
import kmsKeyPolicyDefined from "./checks/kms/kms-key-policy-defined";
import kmsKeyPolicyNoOpenPrincipal from "./checks/kms/kms-key-policy-no-open-principal";
import kmsKeyRotation from "./checks/kms/kms-key-rotation";
import regionConsistency from "./checks/region-consistency";
import s3BucketAbortIncompleteUploads from "./checks/s3/s3-bucket-abort-incomplete-uploads";
import s3BucketAccessLogging from "./checks/s3/s3-bucket-access-logging";
import s3BucketDefaultEncryptionKms from "./checks/s3/s3-bucket-default-encryption-kms";
import s3BucketForceDestroyOff from "./checks/s3/s3-bucket-force-destroy-off";
import s3BucketKeyEnabled from "./checks/s3/s3-bucket-key-enabled";
import s3BucketOwnerEnforced from "./checks/s3/s3-bucket-owner-enforced";
import s3BucketPublicAccessBlocked from "./checks/s3/s3-bucket-public-access-blocked";
import s3BucketReplication from "./checks/s3/s3-bucket-replication";
import s3BucketTlsOnly from "./checks/s3/s3-bucket-tls-only";
import s3BucketVersioningEnabled from "./checks/s3/s3-bucket-versioning-enabled";
import { RuleDefinition } from "./rule";

/**
 * The rules, in report order. Levels: `error` for the controls the project promises (secure by
 * default, no data loss, least privilege, regions kept apart); `warning` for cost hygiene.
 */
export const SITE_RULES: readonly RuleDefinition[] = [
  {
    id: "SITE-S3-001",
    level: "error",
    subject: "bucket",
    evaluate: s3BucketVersioningEnabled,
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
    evaluate: s3BucketDefaultEncryptionKms,
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
    evaluate: s3BucketKeyEnabled,
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
    evaluate: s3BucketPublicAccessBlocked,
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
    evaluate: s3BucketOwnerEnforced,
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
    evaluate: s3BucketAccessLogging,
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
    evaluate: s3BucketReplication,
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
    evaluate: s3BucketAbortIncompleteUploads,
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
    evaluate: s3BucketTlsOnly,
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
    evaluate: s3BucketForceDestroyOff,
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
    evaluate: kmsKeyRotation,
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
    evaluate: kmsKeyPolicyDefined,
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
    evaluate: kmsKeyPolicyNoOpenPrincipal,
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
    evaluate: iamNoWildcardActions,
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
    evaluate: iamNoWildcardResources,
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
    evaluate: regionConsistency,
    message: "resource uses a bucket or KMS key of another region",
    rationale:
      "Each region must stand alone: S3 rejects a default-encryption key or a log target of another region, and a cross-region dependency fails with that region. Only replication must cross, to its destination bucket and key.",
    fix: "use the bucket and key created with the same provider as the resource (a construct takes its region's provider and key)",
    checkov: [],
    securityHub: [],
  },
];
