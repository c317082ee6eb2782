/**
 * The one fake deployment of the verify tests: the REAL synthesized JSON of SiteStorageStack
 * (default settings: the CDN stage on), and AWS mocked with aws-sdk-client-mock so that every SDK read answers as
 * a clean deployment of that JSON would. The live state is plain data (`fake.buckets`,
 * `fake.keys`, `fake.roles`, `fake.aliases`, `fake.cdn`): a test perturbs one answer and runs the verifier.
 */
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import type { AttachedPolicy, Role } from "@aws-sdk/client-iam";
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import type { GrantListEntry } from "@aws-sdk/client-kms";
import {
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type {
  LifecycleRule,
  LoggingEnabled,
  PublicAccessBlockConfiguration,
  ReplicationConfiguration,
  ServerSideEncryptionRule,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { StateIndex, StateResource, resolveReferences } from "../../../src/ops/terraform/references";
import { awsError, blocks, lifecycleRule, one, replication } from "./api-shapes";
import { FakeCdn, cloudfrontIdOf } from "./fake-cdn";
import { Block, synthSite } from "./site-fixture";
import type { SettingsInput } from "../../../src/config/schema";

export { awsError } from "./api-shapes";

export const ACCOUNT = "123456789012";

/** One live bucket, in the S3 API's shape. */
export interface FakeBucket {
  region: string;
  tags: Record<string, string>;
  versioning?: string;
  encryption?: ServerSideEncryptionRule[];
  publicAccessBlock?: PublicAccessBlockConfiguration;
  ownership?: string;
  policy?: string;
  lifecycle?: LifecycleRule[];
  logging?: LoggingEnabled;
  replication?: ReplicationConfiguration;
}

/** One live key, in the KMS API's shape. */
export interface FakeKey {
  id: string;
  description: string;
  rotation: boolean;
  state: string;
  policy: string;
  tags: Record<string, string>;
  grants: GrantListEntry[];
}

/** One live role and its policies. */
export interface FakeRole {
  role: Role;
  inline: Map<string, string>;
  attached: AttachedPolicy[];
}

/** The live values the JSON's references resolve to: the account, names, and made-up key ids. */
function liveIndex(json: ReturnType<typeof synthSite>["json"]): StateIndex {
  const data: StateResource[] = [
    ...Object.keys(json.data.aws_caller_identity ?? {}).map((name) => ({
      address: `data.aws_caller_identity.${name}`,
      mode: "data" as const,
      type: "aws_caller_identity",
      name,
      values: { account_id: ACCOUNT },
    })),
    ...Object.keys(json.data.aws_partition ?? {}).map((name) => ({
      address: `data.aws_partition.${name}`,
      mode: "data" as const,
      type: "aws_partition",
      name,
      values: { partition: "aws", dns_suffix: "amazonaws.com" },
    })),
  ];
  const named = new StateIndex(data);
  const managed = (type: string, name: string, values: Record<string, unknown>): StateResource => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    values,
  });
  const regionOf = (block: Block) => json.provider.aws.find((p) => `aws.${p.alias}` === block.provider)?.region;
  const resources = [
    ...Object.entries(json.resource.aws_s3_bucket).map(([name, b]) => {
      const bucket = String(resolveReferences(b.bucket, named));
      const bucket_regional_domain_name = `${bucket}.s3.${regionOf(b)}.amazonaws.com`;
      return managed("aws_s3_bucket", name, {
        bucket,
        id: bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucket_regional_domain_name,
      });
    }),
    ...Object.entries(json.resource.aws_kms_key).map(([name, k]) => {
      const id = `key-${name.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
      return managed("aws_kms_key", name, { key_id: id, id, arn: `arn:aws:kms:${regionOf(k)}:${ACCOUNT}:key/${id}` });
    }),
    ...Object.entries(json.resource.aws_iam_role).map(([name, r]) =>
      managed("aws_iam_role", name, { id: r.name, name: r.name, arn: `arn:aws:iam::${ACCOUNT}:role/${r.name}` }),
    ),
    ...Object.keys(json.resource.aws_cloudfront_origin_access_control ?? {}).map((name) =>
      managed("aws_cloudfront_origin_access_control", name, { id: cloudfrontIdOf(name) }),
    ),
    ...Object.keys(json.resource.aws_cloudfront_distribution ?? {}).map((name) => {
      const id = cloudfrontIdOf(name);
      return managed("aws_cloudfront_distribution", name, {
        id,
        arn: `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`,
      });
    }),
  ];
  return new StateIndex([...data, ...resources]);
}

/** The synthesized text of each settings this test file asked for, by their JSON. */
const synthesizedOnce = new Map<string, string>();

/**
 * The stack of `settings` as JSON: synthesized once per test file (a test builds a fresh deployment
 * each time, and synthesizing was most of its cost), parsed afresh for each deployment so that
 * nothing one test does to its copy reaches the next.
 */
function synthesizedFor(settings: SettingsInput): ReturnType<typeof synthSite>["json"] {
  const key = JSON.stringify(settings);
  let text = synthesizedOnce.get(key);
  if (text === undefined) {
    text = synthSite(settings).synthesized;
    synthesizedOnce.set(key, text);
  }
  return JSON.parse(text) as ReturnType<typeof synthSite>["json"];
}

/** The live deployment, as data the mocks answer from. */
export class FakeDeployment {
  /** The stack of default settings (CDN stage on); `cdn: { enabled: false }` for the storage-only one. */
  readonly synthesized: ReturnType<typeof synthSite>["json"];
  /** The live CloudFront resources. */
  readonly cdn: FakeCdn;
  readonly buckets = new Map<string, FakeBucket>();
  readonly keys = new Map<string, FakeKey>();
  /** Alias name → target key id. */
  readonly aliases = new Map<string, string>();
  readonly roles = new Map<string, FakeRole>();
  /** Answers for S3 calls that no model field covers (website, CORS, ACL), by command name. */
  readonly extra = new Map<string, unknown>();
  readonly s3 = mockClient(S3Client);
  readonly kms = mockClient(KMSClient);
  readonly iam = mockClient(IAMClient);
  readonly sts = mockClient(STSClient);

  constructor(settings: SettingsInput = {}) {
    this.synthesized = synthesizedFor(settings);
    const index = liveIndex(this.synthesized);
    const resolved = (type: string) =>
      Object.entries(this.synthesized.resource[type] ?? {}).map(
        ([name, block]) => [name, resolveReferences(block, index) as Block] as const,
      );
    const defaultTags = (block: Block) =>
      this.synthesized.provider.aws.find((p) => `aws.${p.alias}` === block.provider)?.default_tags[0].tags ?? {};
    for (const [, b] of resolved("aws_s3_bucket")) {
      const region = this.synthesized.provider.aws.find((p) => `aws.${p.alias}` === b.provider)?.region;
      this.buckets.set(b.bucket, { region, tags: { ...defaultTags(b) } });
    }
    const bucket = (b: Block) => this.buckets.get(b.bucket) as FakeBucket;
    for (const [, v] of resolved("aws_s3_bucket_versioning"))
      bucket(v).versioning = one(v.versioning_configuration)?.status;
    for (const [, e] of resolved("aws_s3_bucket_server_side_encryption_configuration")) {
      bucket(e).encryption = blocks(e.rule).map((rule) => ({
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: one(rule.apply_server_side_encryption_by_default)?.sse_algorithm,
          KMSMasterKeyID: one(rule.apply_server_side_encryption_by_default)?.kms_master_key_id,
        },
        BucketKeyEnabled: rule.bucket_key_enabled,
      }));
    }
    for (const [, p] of resolved("aws_s3_bucket_public_access_block")) {
      bucket(p).publicAccessBlock = {
        BlockPublicAcls: p.block_public_acls,
        IgnorePublicAcls: p.ignore_public_acls,
        BlockPublicPolicy: p.block_public_policy,
        RestrictPublicBuckets: p.restrict_public_buckets,
      };
    }
    for (const [, o] of resolved("aws_s3_bucket_ownership_controls"))
      bucket(o).ownership = one(o.rule)?.object_ownership;
    for (const [, p] of resolved("aws_s3_bucket_policy")) bucket(p).policy = p.policy;
    for (const [, l] of resolved("aws_s3_bucket_lifecycle_configuration"))
      bucket(l).lifecycle = blocks(l.rule).map(lifecycleRule);
    for (const [, l] of resolved("aws_s3_bucket_logging")) {
      bucket(l).logging = { TargetBucket: l.target_bucket, TargetPrefix: l.target_prefix };
    }
    for (const [, r] of resolved("aws_s3_bucket_replication_configuration")) bucket(r).replication = replication(r);
    for (const [name, k] of resolved("aws_kms_key")) {
      const id = String(index.managed("aws_kms_key", name)?.values.key_id);
      const key = {
        id,
        description: k.description,
        rotation: k.enable_key_rotation,
        state: "Enabled",
        policy: k.policy,
      };
      this.keys.set(id, { ...key, tags: { ...defaultTags(k) }, grants: [] });
    }
    // The key's policy, when an aws_kms_key_policy declares it rather than the key.
    for (const [, p] of resolved("aws_kms_key_policy")) {
      const key = this.keys.get(String(p.key_id));
      if (key !== undefined) key.policy = p.policy;
    }
    for (const [, a] of resolved("aws_kms_alias")) this.aliases.set(a.name, a.target_key_id);
    for (const [, r] of resolved("aws_iam_role")) {
      const role = {
        RoleName: r.name,
        Path: "/",
        Description: r.description,
        AssumeRolePolicyDocument: encodeURIComponent(r.assume_role_policy),
      };
      const tags = Object.entries(defaultTags(r)).map(([Key, Value]) => ({ Key, Value: String(Value) }));
      this.roles.set(r.name, { role: { ...role, Tags: tags } as Role, inline: new Map(), attached: [] });
    }
    for (const [, p] of resolved("aws_iam_role_policy"))
      this.roles.get(p.role)?.inline.set(p.name, encodeURIComponent(p.policy));
    this.answerS3();
    this.answerKms();
    this.answerIam();
    this.cdn = new FakeCdn(ACCOUNT, resolved, defaultTags);
    this.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/tester` });
  }

  /** The live bucket named like the stack's `<part>` bucket (`primary`, `replica`, `logs`, `replica-logs`). */
  bucket(part: string): FakeBucket {
    return this.buckets.get(this.bucketName(part)) as FakeBucket;
  }

  bucketName(part: string): string {
    return `portfolio-site-${part}-${ACCOUNT}`;
  }

  /** The live key the alias `alias/portfolio-site-<part>` points at in a clean deployment. */
  key(part: "primary" | "replica"): FakeKey {
    return [...this.keys.values()].find((k) => k.id.includes(part)) as FakeKey;
  }

  /** Stops answering: restores the SDK clients. */
  restore(): void {
    for (const mock of [this.s3, this.kms, this.iam, this.sts, this.cdn.cloudfront]) mock.restore();
  }

  private answerS3(): void {
    const found = (input: { Bucket?: string }) => {
      const bucket = this.buckets.get(String(input.Bucket));
      if (bucket === undefined) throw awsError("NoSuchBucket");
      return bucket;
    };
    const orMissing = <T>(value: T | undefined, code: string): T => {
      if (value === undefined) throw awsError(code);
      return value;
    };
    const s3 = this.s3;
    s3.on(HeadBucketCommand).callsFake((input) => (found(input), {}));
    s3.on(GetBucketLocationCommand).callsFake((input) => {
      const region = found(input).region;
      return { LocationConstraint: region === "us-east-1" ? undefined : region };
    });
    s3.on(GetBucketTaggingCommand).callsFake((input) => ({
      TagSet: Object.entries(found(input).tags).map(([Key, Value]) => ({ Key, Value })),
    }));
    s3.on(GetBucketVersioningCommand).callsFake((input) => ({ Status: found(input).versioning }));
    s3.on(GetBucketEncryptionCommand).callsFake((input) => ({
      ServerSideEncryptionConfiguration: {
        Rules: orMissing(found(input).encryption, "ServerSideEncryptionConfigurationNotFoundError"),
      },
    }));
    s3.on(GetPublicAccessBlockCommand).callsFake((input) => ({
      PublicAccessBlockConfiguration: orMissing(found(input).publicAccessBlock, "NoSuchPublicAccessBlockConfiguration"),
    }));
    s3.on(GetBucketOwnershipControlsCommand).callsFake((input) => ({
      OwnershipControls: {
        Rules: [{ ObjectOwnership: orMissing(found(input).ownership, "OwnershipControlsNotFoundError") }],
      },
    }));
    s3.on(GetBucketPolicyCommand).callsFake((input) => ({
      Policy: orMissing(found(input).policy, "NoSuchBucketPolicy"),
    }));
    s3.on(GetBucketLifecycleConfigurationCommand).callsFake((input) => ({
      Rules: orMissing(found(input).lifecycle, "NoSuchLifecycleConfiguration"),
    }));
    s3.on(GetBucketLoggingCommand).callsFake((input) => ({ LoggingEnabled: found(input).logging }));
    s3.on(GetBucketReplicationCommand).callsFake((input) => ({
      ReplicationConfiguration: orMissing(found(input).replication, "ReplicationConfigurationNotFoundError"),
    }));
    s3.on(GetBucketWebsiteCommand).callsFake((input) =>
      orMissing((found(input), this.extra.get("GetBucketWebsite")), "NoSuchWebsiteConfiguration"),
    );
    s3.on(GetBucketCorsCommand).callsFake((input) =>
      orMissing((found(input), this.extra.get("GetBucketCors")), "NoSuchCORSConfiguration"),
    );
    s3.on(GetBucketAclCommand).callsFake(
      (input) =>
        (found(input), this.extra.get("GetBucketAcl")) ?? {
          Owner: { ID: "owner" },
          Grants: [{ Grantee: { Type: "CanonicalUser", ID: "owner" }, Permission: "FULL_CONTROL" }],
        },
    );
  }

  private answerKms(): void {
    const key = (input: { KeyId?: string }) => {
      const found = this.keys.get(String(input.KeyId));
      if (found === undefined) throw awsError("NotFoundException", 400);
      return found;
    };
    const kms = this.kms;
    kms.on(ListAliasesCommand).callsFake(() => ({
      Aliases: [...this.aliases].map(([AliasName, TargetKeyId]) => ({ AliasName, TargetKeyId })),
      Truncated: false,
    }));
    kms.on(DescribeKeyCommand).callsFake((input) => {
      const k = key(input);
      return { KeyMetadata: { KeyId: k.id, Description: k.description, KeyState: k.state } };
    });
    kms.on(GetKeyRotationStatusCommand).callsFake((input) => ({ KeyRotationEnabled: key(input).rotation }));
    kms.on(GetKeyPolicyCommand).callsFake((input) => ({ Policy: key(input).policy }));
    kms.on(ListResourceTagsCommand).callsFake((input) => ({
      Tags: Object.entries(key(input).tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    }));
    kms.on(ListGrantsCommand).callsFake((input) => ({ Grants: key(input).grants }));
  }

  private answerIam(): void {
    const role = (input: { RoleName?: string }) => {
      const found = this.roles.get(String(input.RoleName));
      if (found === undefined) throw awsError("NoSuchEntity");
      return found;
    };
    const iam = this.iam;
    iam.on(GetRoleCommand).callsFake((input) => ({ Role: role(input).role }));
    iam.on(GetRolePolicyCommand).callsFake((input) => {
      const document = role(input).inline.get(input.PolicyName);
      if (document === undefined) throw awsError("NoSuchEntity");
      return { RoleName: input.RoleName, PolicyName: input.PolicyName, PolicyDocument: document };
    });
    iam.on(ListRolePoliciesCommand).callsFake((input) => ({ PolicyNames: [...role(input).inline.keys()] }));
    iam.on(ListAttachedRolePoliciesCommand).callsFake((input) => ({ AttachedPolicies: role(input).attached }));
  }
}
