/**
 * The subjects the rules judge, built from every resource of one stack at once: a bucket with the
 * resources that configure it, a key with its policies, an IAM resource with its documents
 * (`iam-subjects.ts`), a CloudFront distribution and every bucket or key policy
 * (`cloudfront-subjects.ts`), a resource with the buckets and keys it uses. Relationships are resolved
 * here so each rule can stay a pure function of one subject. Policies are read through the one
 * policy model (`src/common/policy.ts`), ARNs through `src/common/arn.ts`.
 *
 * Joining: S3's standalone resources name their bucket by a reference (`bucket = aws_s3_bucket.x.id`);
 * a replication destination names it by ARN (`arn:${partition}:s3:::<name>`). Both, and a key's
 * `arn`/`id`/`key_id` or alias, are resolved to Terraform syntax (`${aws_s3_bucket.x.id}`) and
 * matched against what each bucket and key is known by. Configured values are read through the
 * `…Input` getters; the token getters (`bucket.id`, `key.arn`) are read only to learn what a
 * reference to that bucket or key looks like once resolved.
 *
 * Not read: the deprecated inline blocks of `aws_s3_bucket` (`versioning`,
 * `server_side_encryption_configuration`, …) and raw `addOverride`s, which bypass the `…Input`
 * getters; use the standalone resources.
 */
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import {
  DistributionSubject,
  ResourcePolicySubject,
  distributionSubjectsOf,
  resourcePolicySubjectsOf,
} from "./cloudfront-subjects";
import { IamSubject, iamSubjectsOf } from "./iam-subjects";
import { inputBlock, inputBlocks } from "./inputs";
import { bucketNameOf, parseArn } from "../common/arn";
import { ReadPolicy, readPolicy, servicePrincipals } from "../common/policy";

/** The service principal of S3 server access log delivery. */
const LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com";

/** A bucket policy, read. */
export interface AttachedPolicy {
  readonly resource: S3BucketPolicy;
  readonly policy: ReadPolicy;
}

/** An S3 bucket and everything in the stack that configures it. */
export interface BucketSubject {
  readonly bucket: S3Bucket;
  /** The configured name in Terraform syntax; undefined when the bucket uses `bucket_prefix`. */
  readonly name?: string;
  /** The bucket's `arn` attribute in Terraform syntax (`${aws_s3_bucket.x.arn}`). */
  readonly arnAttribute: string;
  readonly versioning: readonly S3BucketVersioningA[];
  readonly encryption: readonly S3BucketServerSideEncryptionConfigurationA[];
  readonly publicAccessBlocks: readonly S3BucketPublicAccessBlock[];
  readonly ownershipControls: readonly S3BucketOwnershipControls[];
  readonly policies: readonly AttachedPolicy[];
  readonly lifecycles: readonly S3BucketLifecycleConfiguration[];
  readonly logging: readonly S3BucketLoggingA[];
  /** Replication configurations whose source is this bucket. */
  readonly replications: readonly S3BucketReplicationConfigurationA[];
  /** Replication configurations whose destination is this bucket. */
  readonly replicatedFrom: readonly S3BucketReplicationConfigurationA[];
  /**
   * Why this bucket receives S3 server access logs (its policy lets `logging.s3.amazonaws.com`
   * write, or a logging configuration targets it); undefined when it does not.
   */
  readonly receivesAccessLogs?: string;
}

/** A key policy, where it is set, read. */
export interface KeyPolicySource {
  /** `policy` (the key's own argument) or the construct path of an `aws_kms_key_policy`. */
  readonly source: string;
  readonly policy: ReadPolicy;
}

/** A KMS key and its policies. */
export interface KeySubject {
  readonly key: KmsKey;
  readonly policies: readonly KeyPolicySource[];
}

/** One argument of a resource that makes it use a bucket or a key. */
export interface Use {
  /** The argument, in Terraform's spelling: `bucket`, `rule.destination.bucket`, `target_key_id`. */
  readonly argument: string;
  readonly kind: "bucket" | "kms key";
  /** The construct path of the used resource, or the literal value when it is not in the stack. */
  readonly target: string;
  /** The used resource's region (see `regionOf`), undefined when unknown. */
  readonly targetRegion?: string;
}

/** Any resource, its region and what it uses. */
export interface ResourceSubject {
  readonly resource: TerraformResource;
  /** The region of the resource's provider (see `regionOf`). */
  readonly region: string;
  readonly uses: readonly Use[];
}

/** Every subject of one stack, ready for the rules. */
export interface StackSubjects {
  readonly buckets: readonly BucketSubject[];
  readonly keys: readonly KeySubject[];
  readonly iam: readonly IamSubject[];
  readonly distributions: readonly DistributionSubject[];
  readonly resourcePolicies: readonly ResourcePolicySubject[];
  readonly resources: readonly ResourceSubject[];
}

/** The S3 resources that name their bucket in a `bucket` argument. */
type BucketPart =
  | S3BucketVersioningA
  | S3BucketServerSideEncryptionConfigurationA
  | S3BucketPublicAccessBlock
  | S3BucketOwnershipControls
  | S3BucketPolicy
  | S3BucketLifecycleConfiguration
  | S3BucketLoggingA
  | S3BucketReplicationConfigurationA;

function isBucketPart(resource: TerraformResource): resource is BucketPart {
  return (
    resource instanceof S3BucketVersioningA ||
    resource instanceof S3BucketServerSideEncryptionConfigurationA ||
    resource instanceof S3BucketPublicAccessBlock ||
    resource instanceof S3BucketOwnershipControls ||
    resource instanceof S3BucketPolicy ||
    resource instanceof S3BucketLifecycleConfiguration ||
    resource instanceof S3BucketLoggingA ||
    resource instanceof S3BucketReplicationConfigurationA
  );
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * The parts of a KMS key or alias ARN (`arn:<partition>:kms:<region>:<account>:key/…` or
 * `…:alias/…`), or undefined for any other text. Parts may be interpolations, which hold no colon.
 */
function kmsArnParts(text: string): { region: string; resource: string } | undefined {
  const parts = parseArn(text);
  if (parts === undefined || parts.service !== "kms" || !/^(key|alias)\/./.test(parts.resource)) return undefined;
  return { region: parts.region, resource: parts.resource };
}

/**
 * The subjects of a stack, from the resources and providers in its tree as it is now: built anew
 * on every call, so a property edited since the last call is read as it is.
 */
export function subjectsOf(stack: TerraformStack): StackSubjects {
  const tree = stack.node.findAll();
  return new SubjectFinder(
    stack,
    tree.filter((n): n is TerraformResource => n instanceof TerraformResource),
    tree.filter((n): n is TerraformProvider => n instanceof TerraformProvider),
  ).subjects();
}

class SubjectFinder {
  private readonly bucketsByRef = new Map<string, S3Bucket>();
  private readonly bucketsByName = new Map<string, S3Bucket>();
  private readonly keysByRef = new Map<string, KmsKey>();
  /** The bucket each S3 part (versioning, policy, …) configures. */
  private readonly bucketOfPart = new Map<TerraformResource, S3Bucket | undefined>();

  constructor(
    private readonly stack: TerraformStack,
    private readonly resources: readonly TerraformResource[],
    private readonly providers: readonly TerraformProvider[],
  ) {
    for (const resource of resources) {
      if (resource instanceof S3Bucket) {
        for (const ref of [resource.id, resource.bucket, resource.arn]) this.remember(this.bucketsByRef, ref, resource);
        const name = this.text(resource.bucketInput);
        if (name !== undefined) {
          this.bucketsByRef.set(name, resource);
          this.bucketsByName.set(name, resource);
        }
      } else if (resource instanceof KmsKey) {
        for (const ref of [resource.arn, resource.id, resource.keyId]) this.remember(this.keysByRef, ref, resource);
      }
    }
    // Aliases after keys: an alias is known by its name and ARN and stands for its target key.
    for (const resource of resources) {
      if (!(resource instanceof KmsAlias)) continue;
      const target = this.keyAt(this.text(resource.targetKeyIdInput));
      if (target === undefined) continue;
      for (const ref of [resource.arn, resource.id, resource.nameInput]) this.remember(this.keysByRef, ref, target);
    }
    for (const resource of resources) {
      if (isBucketPart(resource)) this.bucketOfPart.set(resource, this.bucketAt(this.text(resource.bucketInput)));
    }
  }

  private remember<T>(index: Map<string, T>, ref: unknown, resource: T): void {
    const text = this.text(ref);
    if (text !== undefined) index.set(text, resource);
  }

  subjects(): StackSubjects {
    return {
      buckets: this.resources.filter((r): r is S3Bucket => r instanceof S3Bucket).map((b) => this.bucketSubject(b)),
      keys: this.resources.filter((r): r is KmsKey => r instanceof KmsKey).map((k) => this.keySubject(k)),
      iam: this.resources.flatMap((r) => iamSubjectsOf(r, (value) => this.text(value))),
      distributions: this.resources.flatMap((r) => distributionSubjectsOf(r, (value) => this.text(value))),
      resourcePolicies: this.resources.flatMap((r) => resourcePolicySubjectsOf(r, (value) => this.text(value))),
      resources: this.resources.map((r) => ({ resource: r, region: this.regionOf(r), uses: this.usesOf(r) })),
    };
  }

  /** A value in Terraform syntax: tokens become `${…}` interpolations. */
  private text(value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    try {
      const resolved: unknown = Tokenization.resolve(value, {
        scope: this.stack,
        preparing: false,
        resolver: RESOLVER,
      });
      return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
    } catch {
      return String(value);
    }
  }

  private bucketAt(ref: string | undefined): S3Bucket | undefined {
    if (ref === undefined) return undefined;
    const direct = this.bucketsByRef.get(ref);
    if (direct !== undefined) return direct;
    // A replication destination names its bucket by ARN: `arn:<partition>:s3:::<name>`.
    const name = bucketNameOf(ref);
    return name === undefined ? undefined : this.bucketsByName.get(name);
  }

  private keyAt(ref: string | undefined): KmsKey | undefined {
    if (ref === undefined) return undefined;
    const direct = this.keysByRef.get(ref);
    if (direct !== undefined) return direct;
    const arn = kmsArnParts(ref);
    return arn === undefined ? undefined : this.keysByRef.get(arn.resource);
  }

  private partsOf<T extends BucketPart>(bucket: S3Bucket, type: abstract new (...args: never[]) => T): T[] {
    return this.resources.filter((r): r is T => r instanceof type && this.bucketOfPart.get(r) === bucket);
  }

  private destinationsOf(configuration: S3BucketReplicationConfigurationA): S3Bucket[] {
    return (inputBlocks(configuration.ruleInput) ?? [])
      .map((rule) => this.bucketAt(this.text(rule.destination?.bucket)))
      .filter((b): b is S3Bucket => b !== undefined);
  }

  private bucketSubject(bucket: S3Bucket): BucketSubject {
    const policies = this.partsOf(bucket, S3BucketPolicy).map((resource) => ({
      resource,
      policy: readPolicy(this.text(resource.policyInput)),
    }));
    const grantsLogDelivery = policies.find(
      ({ policy }) =>
        policy.readable &&
        policy.policy.Statement.some(
          (s) => s.Effect === "Allow" && servicePrincipals(s).includes(LOG_DELIVERY_SERVICE),
        ),
    );
    const loggedHere = this.resources.find(
      (r) => r instanceof S3BucketLoggingA && this.bucketAt(this.text(r.targetBucketInput)) === bucket,
    );
    const receivesAccessLogs =
      grantsLogDelivery !== undefined
        ? `its bucket policy ${grantsLogDelivery.resource.node.path} lets ${LOG_DELIVERY_SERVICE} write`
        : loggedHere !== undefined
          ? `it is the target_bucket of ${loggedHere.node.path}`
          : undefined;
    return {
      bucket,
      name: this.text(bucket.bucketInput),
      arnAttribute: this.text(bucket.arn) ?? "",
      versioning: this.partsOf(bucket, S3BucketVersioningA),
      encryption: this.partsOf(bucket, S3BucketServerSideEncryptionConfigurationA),
      publicAccessBlocks: this.partsOf(bucket, S3BucketPublicAccessBlock),
      ownershipControls: this.partsOf(bucket, S3BucketOwnershipControls),
      policies,
      lifecycles: this.partsOf(bucket, S3BucketLifecycleConfiguration),
      logging: this.partsOf(bucket, S3BucketLoggingA),
      replications: this.partsOf(bucket, S3BucketReplicationConfigurationA),
      replicatedFrom: this.resources.filter(
        (r): r is S3BucketReplicationConfigurationA =>
          r instanceof S3BucketReplicationConfigurationA && this.destinationsOf(r).includes(bucket),
      ),
      receivesAccessLogs,
    };
  }

  private keySubject(key: KmsKey): KeySubject {
    const policies: KeyPolicySource[] = [];
    if (key.policyInput !== undefined)
      policies.push({ source: "policy", policy: readPolicy(this.text(key.policyInput)) });
    for (const resource of this.resources) {
      if (resource instanceof KmsKeyPolicy && this.keyAt(this.text(resource.keyIdInput)) === key) {
        policies.push({ source: resource.node.path, policy: readPolicy(this.text(resource.policyInput)) });
      }
    }
    return { key, policies };
  }

  /**
   * The region a resource is created in: its provider's `region` when that is a literal, else
   * the provider itself (`provider <path>`); without a provider, the stack's default (unaliased)
   * AWS provider's.
   */
  private regionOf(resource: TerraformResource): string {
    const provider =
      resource.provider ?? this.providers.find((p) => p instanceof AwsProvider && p.aliasInput === undefined);
    if (provider === undefined) return "the default provider";
    const region = provider instanceof AwsProvider ? this.text(provider.regionInput) : undefined;
    return region !== undefined && !region.includes("${") ? region : `provider ${provider.node.path}`;
  }

  private use(argument: string, kind: Use["kind"], value: unknown): Use | undefined {
    const ref = this.text(value);
    if (ref === undefined) return undefined;
    const target = kind === "bucket" ? this.bucketAt(ref) : this.keyAt(ref);
    if (target !== undefined) return { argument, kind, target: target.node.path, targetRegion: this.regionOf(target) };
    // A literal KMS ARN names its region.
    const region = kind === "kms key" ? kmsArnParts(ref)?.region : undefined;
    const literalRegion = region !== undefined && region !== "" && !region.includes("${") ? region : undefined;
    return { argument, kind, target: ref, targetRegion: literalRegion };
  }

  /** The buckets and keys a resource uses, argument by argument. */
  private usesOf(resource: TerraformResource): Use[] {
    const uses: (Use | undefined)[] = [];
    if (isBucketPart(resource)) uses.push(this.use("bucket", "bucket", resource.bucketInput));
    if (resource instanceof S3BucketServerSideEncryptionConfigurationA) {
      for (const rule of inputBlocks(resource.ruleInput) ?? []) {
        uses.push(
          this.use(
            "rule.apply_server_side_encryption_by_default.kms_master_key_id",
            "kms key",
            inputBlock(rule.applyServerSideEncryptionByDefault)?.kmsMasterKeyId,
          ),
        );
      }
    }
    if (resource instanceof S3BucketLoggingA)
      uses.push(this.use("target_bucket", "bucket", resource.targetBucketInput));
    if (resource instanceof S3BucketReplicationConfigurationA) {
      for (const rule of inputBlocks(resource.ruleInput) ?? []) {
        uses.push(this.use("rule.destination.bucket", "bucket", rule.destination?.bucket));
        uses.push(
          this.use(
            "rule.destination.encryption_configuration.replica_kms_key_id",
            "kms key",
            rule.destination?.encryptionConfiguration?.replicaKmsKeyId,
          ),
        );
      }
    }
    if (resource instanceof KmsAlias) uses.push(this.use("target_key_id", "kms key", resource.targetKeyIdInput));
    if (resource instanceof KmsKeyPolicy) uses.push(this.use("key_id", "kms key", resource.keyIdInput));
    return uses.filter((u): u is Use => u !== undefined);
  }
}
