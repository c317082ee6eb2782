/**
 * The site rule catalog: every rule the pack applies, as data (ID, level, wording, the checkov and
 * AWS Security Hub mappings, the kind of subject it judges, and its function). The engine
 * (`pack.ts`, `evaluation.ts`) applies whatever catalog it is given and knows no rule.
 */
import cloudfrontDefaultRootObject from "./checks/cloudfront/cloudfront-default-root-object";
import cloudfrontGrantPinned from "./checks/cloudfront/cloudfront-grant-pinned";
import cloudfrontOriginAccessControl from "./checks/cloudfront/cloudfront-origin-access-control";
import cloudfrontOriginFailover from "./checks/cloudfront/cloudfront-origin-failover";
import cloudfrontResponseHeadersPolicy from "./checks/cloudfront/cloudfront-response-headers-policy";
import cloudfrontStandardLogging from "./checks/cloudfront/cloudfront-standard-logging";
import cloudfrontViewerHttps from "./checks/cloudfront/cloudfront-viewer-https";
import cloudfrontViewerTls from "./checks/cloudfront/cloudfront-viewer-tls";
import cloudfrontWaf from "./checks/cloudfront/cloudfront-waf";
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
 * default, no data loss, least privilege, regions kept apart); `warning` for cost hygiene and for
 * the CloudFront controls the site stack deliberately leaves out (SITE-CF-007 to 009: it
 * suppresses them with its reasons, so the choice shows in every report).
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
    id: "SITE-CF-001",
    level: "error",
    subject: "distribution",
    evaluate: cloudfrontDefaultRootObject,
    message: "CloudFront distribution has no default root object",
    rationale:
      "Without a default root object, a request for the site's root reaches the origin as a request for the bucket itself: an error page, or a listing for an origin that allows one.",
    fix: 'set default_root_object = "index.html" on aws_cloudfront_distribution (SiteDistribution does)',
    checkov: ["CKV_AWS_305"],
    securityHub: ["CloudFront.1"],
  },
  {
    id: "SITE-CF-002",
    level: "error",
    subject: "distribution",
    evaluate: cloudfrontViewerHttps,
    message: "CloudFront distribution serves viewers over plain HTTP",
    rationale:
      "With allow-all, pages travel unencrypted between viewer and edge, where they can be read and altered; the bucket's TLS-only policy cannot protect that leg.",
    fix: 'set viewer_protocol_policy = "redirect-to-https" (or "https-only") on default_cache_behavior and every ordered_cache_behavior',
    checkov: ["CKV_AWS_34"],
    securityHub: ["CloudFront.3"],
  },
  {
    id: "SITE-CF-003",
    level: "error",
    subject: "distribution",
    evaluate: cloudfrontViewerTls,
    message:
      "CloudFront distribution with its own certificate allows TLS older than 1.2 (2021 ciphers) or a dedicated IP",
    rationale:
      "A custom certificate lets the owner choose the viewer security policy: TLSv1.2_2021 or newer refuses TLS 1.0, 1.1 and CBC ciphers, and sni-only avoids the dedicated-IP fee that only clients too old for TLS 1.2 need.",
    fix: 'in viewer_certificate, set minimum_protocol_version = "TLSv1.2_2021" (or newer) and ssl_support_method = "sni-only"',
    checkov: ["CKV_AWS_174"],
    securityHub: ["CloudFront.7", "CloudFront.8"],
  },
  {
    id: "SITE-CF-004",
    level: "error",
    subject: "distribution",
    evaluate: cloudfrontOriginAccessControl,
    message: "CloudFront S3 origin is not signed by an origin access control",
    rationale:
      "Origin access control signs every request to the bucket, so the bucket stays private and grants only this distribution; a legacy origin access identity cannot read SSE-KMS objects, and a website endpoint needs a public bucket.",
    fix: "point the origin at the bucket's regional domain name with origin_access_control_id = an aws_cloudfront_origin_access_control (S3, sigv4, always), and no s3_origin_config origin_access_identity",
    checkov: ["CKV2_AWS_46"],
    securityHub: ["CloudFront.13"],
  },
  {
    id: "SITE-CF-005",
    level: "error",
    subject: "distribution",
    evaluate: cloudfrontResponseHeadersPolicy,
    message: "CloudFront default cache behavior has no response headers policy",
    rationale:
      "A response headers policy adds Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options and Referrer-Policy to every answer, whatever the stored objects carry.",
    fix: "set response_headers_policy_id on default_cache_behavior (the AWS-managed SecurityHeadersPolicy, SECURITY_HEADERS_POLICY_ID)",
    checkov: ["CKV2_AWS_32"],
    securityHub: [],
  },
  {
    id: "SITE-CF-006",
    level: "error",
    subject: "resourcePolicy",
    evaluate: cloudfrontGrantPinned,
    message: "bucket or key policy grants CloudFront without pinning one distribution",
    rationale:
      "A grant to cloudfront.amazonaws.com is a grant to every distribution that matches its condition: without StringEquals AWS:SourceArn = one distribution's ARN, any distribution of the account (or, without a condition, of any account) can read the bucket or decrypt with the key.",
    fix: 'condition the statement on { StringEquals: { "AWS:SourceArn": <the distribution ARN> } }: a reference to the declared distribution, or a literal ARN without a wildcard',
    checkov: [],
    securityHub: [],
  },
  {
    id: "SITE-CF-007",
    level: "warning",
    subject: "distribution",
    evaluate: cloudfrontWaf,
    message: "CloudFront distribution has no AWS WAF web ACL",
    rationale:
      "A web ACL filters requests at the edge (rate limits, managed rule groups). It is billed per web ACL, rule and request, so for a static site it is the owner's choice; the site stack suppresses this rule with that reason.",
    fix: "create an aws_wafv2_web_acl with scope CLOUDFRONT through a us-east-1 provider and set web_acl_id = its arn on aws_cloudfront_distribution, then remove the suppression",
    checkov: ["CKV_AWS_68", "CKV2_AWS_47"],
    securityHub: ["CloudFront.6"],
  },
  {
    id: "SITE-CF-008",
    level: "warning",
    subject: "distribution",
    evaluate: cloudfrontOriginFailover,
    message: "CloudFront distribution has no origin failover",
    rationale:
      "An origin group retries a failed request on a second origin. The site serves from one bucket; its replica exists for durability (Cross-Region Replication), and serving from it would need its own key grant and policy; the site stack suppresses this rule with that reason.",
    fix: "add an origin for the replica bucket with its own origin access control, an origin_group with failover_criteria, and target the group from the cache behaviors; grant the replica's key and bucket to the distribution",
    checkov: ["CKV_AWS_310"],
    securityHub: ["CloudFront.4"],
  },
  {
    id: "SITE-CF-009",
    level: "warning",
    subject: "distribution",
    evaluate: cloudfrontStandardLogging,
    message: "CloudFront distribution has no standard logging (legacy)",
    rationale:
      "Legacy standard logging delivers to an S3 bucket through ACLs, which object ownership BucketOwnerEnforced (SITE-S3-005) disables on every bucket of the stack; the site stack suppresses this rule with that reason.",
    fix: "use standard logging v2 (an aws_cloudwatch_log_delivery_source for the distribution and a delivery to S3, CloudWatch Logs or Firehose), or logging_config to a bucket with ACLs enabled",
    checkov: ["CKV_AWS_86"],
    securityHub: ["CloudFront.5"],
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
