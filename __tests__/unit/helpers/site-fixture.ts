/**
 * Synthesizes the site stack from raw settings and finds things in the result by construct,
 * so tests name `stack.primaryBucket.encryption`, never a hashed logical id.
 */
import { Testing, TerraformDataSource, TerraformResource } from "cdktf";
import { Settings, SettingsInput } from "../../../src/config/schema";
import { parseSettings } from "../../../src/config/load";
import { RegionalKey } from "../../../src/infra/constructs/regional-key";
import { SecureBucket } from "../../../src/infra/constructs/secure-bucket";
import { SiteStorageStack } from "../../../src/infra/stacks/site-storage-stack";

/** One synthesized block (resource, data source, provider, output): JSON whose shape varies by type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, read field by field
export type Block = Record<string, any>;

/** The synthesized stack, as Terraform JSON. */
export interface SynthesizedStack {
  readonly provider: { readonly aws: Block[] };
  readonly data: Record<string, Record<string, Block>>;
  readonly resource: Record<string, Record<string, Block>>;
  readonly output: Record<string, Block>;
}

/** A stack built and synthesized once, for the tests of one describe block. */
export interface SiteFixture {
  readonly settings: Settings;
  readonly stack: SiteStorageStack;
  /** What the cdktf matchers take: `expect(site.synthesized).toHaveResourceWithProperties(...)`. */
  readonly synthesized: string;
  /** The same, parsed, for assertions the matchers cannot express. */
  readonly json: SynthesizedStack;
}

/** Builds a fresh app and stack from raw settings (validated like a config file) and synthesizes it. */
export function synthSite(input: SettingsInput = {}): SiteFixture {
  const settings = parseSettings(input, "test");
  const app = Testing.app();
  const stack = new SiteStorageStack(app, "site", settings);
  const synthesized = Testing.synth(stack);
  return { settings, stack, synthesized, json: JSON.parse(synthesized) as SynthesizedStack };
}

type Element = TerraformResource | TerraformDataSource;

function isDataSource(element: Element): boolean {
  return element instanceof TerraformDataSource;
}

/** `aws_s3_bucket.primary-bucket_D87EC2E7`, or `data.aws_partition.…` for a data source. */
export function addressOf(site: SiteFixture, element: Element): string {
  const address = `${element.terraformResourceType}.${site.stack.getLogicalId(element)}`;
  return isDataSource(element) ? `data.${address}` : address;
}

/** The Terraform interpolation of an attribute: `${aws_kms_key.primary-key_A86244A9.arn}`. */
export function refOf(site: SiteFixture, element: Element, attribute: string): string {
  return `\${${addressOf(site, element)}.${attribute}}`;
}

/** The synthesized block of a resource or data source, found by its construct. */
export function blockOf(site: SiteFixture, element: Element): Block {
  const section = isDataSource(element) ? site.json.data : site.json.resource;
  const block = section[element.terraformResourceType]?.[site.stack.getLogicalId(element)];
  if (block === undefined) throw new Error(`${addressOf(site, element)} is not in the synthesized stack`);
  return block;
}

/** Every synthesized block of a resource type, by logical id (empty when there is none). */
export function resourcesOfType(site: SiteFixture, type: string): Record<string, Block> {
  return site.json.resource[type] ?? {};
}

/** Every resource of the stack with its address. */
export function allResources(site: SiteFixture): { address: string; type: string; block: Block }[] {
  return Object.entries(site.json.resource).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, block]) => ({ address: `${type}.${id}`, type, block })),
  );
}

/** The account id and partition as they appear in names and ARNs: data-source interpolations. */
export function accountFacts(site: SiteFixture): { account: string; partition: string; dnsSuffix: string } {
  const { caller, partition } = identitySources(site);
  return {
    account: refOf(site, caller, "account_id"),
    partition: refOf(site, partition, "partition"),
    dnsSuffix: refOf(site, partition, "dns_suffix"),
  };
}

/** The data sources the account facts are read from, found under the stack's AccountIdentity. */
export function identitySources(site: SiteFixture): { caller: TerraformDataSource; partition: TerraformDataSource } {
  const children = site.stack.identity.node.children;
  const caller = children.find((c) => c.node.id === "caller");
  const partition = children.find((c) => c.node.id === "partition");
  if (!(caller instanceof TerraformDataSource) || !(partition instanceof TerraformDataSource)) {
    throw new Error("the account identity construct no longer has its caller and partition data sources");
  }
  return { caller, partition };
}

/** The bucket ARN as the stack builds it: from the partition and account read from AWS. */
export function bucketArnOf(site: SiteFixture, bucketName: string): string {
  return `arn:${accountFacts(site).partition}:s3:::${bucketName}`;
}

/** One of the four buckets, with what belongs to its region. */
export interface BucketCase {
  /** How tests name it: "primary", "replica", "primary log", "replica log". */
  readonly role: string;
  /** The alias of the provider it must be declared through. */
  readonly provider: "aws.primary" | "aws.replica";
  /** Site buckets hold the website (SSE-KMS); log buckets hold access logs (SSE-S3). */
  readonly kind: "site" | "log";
  /** `<project>-<infix>-<account>`. */
  readonly infix: string;
  readonly bucket: (stack: SiteStorageStack) => SecureBucket;
  /** The key of the bucket's region (the one that encrypts it, for site buckets). */
  readonly key: (stack: SiteStorageStack) => RegionalKey;
}

/** The four buckets of the stack, for `describe.each`. */
export const BUCKET_CASES: readonly BucketCase[] = [
  {
    role: "primary",
    provider: "aws.primary",
    kind: "site",
    infix: "primary",
    bucket: (s) => s.primaryBucket,
    key: (s) => s.primaryKey,
  },
  {
    role: "replica",
    provider: "aws.replica",
    kind: "site",
    infix: "replica",
    bucket: (s) => s.replicaBucket,
    key: (s) => s.replicaKey,
  },
  {
    role: "primary log",
    provider: "aws.primary",
    kind: "log",
    infix: "logs",
    bucket: (s) => s.primaryLogBucket,
    key: (s) => s.primaryKey,
  },
  {
    role: "replica log",
    provider: "aws.replica",
    kind: "log",
    infix: "replica-logs",
    bucket: (s) => s.replicaLogBucket,
    key: (s) => s.replicaKey,
  },
];

/** The name a bucket must have: `<project>-<infix>-<account id token>`. */
export function expectedBucketName(site: SiteFixture, bucket: BucketCase): string {
  return `${site.settings.project}-${bucket.infix}-${accountFacts(site).account}`;
}
