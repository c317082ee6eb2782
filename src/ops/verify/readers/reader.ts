import type { S3Client } from "@aws-sdk/client-s3";
import { unlessAbsent } from "../../aws-call";
import type { VerifyContext } from "../context";
import type { DeclaredResource } from "../declaration";
import { NOT_DECLARED, VerifyRow } from "../row";

/** A declared resource as a reader sees it. */
export interface ReadTarget {
  readonly resource: DeclaredResource;
  /** The declared arguments, references resolved. */
  readonly declared: Readonly<Record<string, unknown>>;
  /** The region of its provider. */
  readonly region: string;
  /** How rows name it: its address and live name. */
  readonly label: string;
}

/** The live resource in Terraform's attribute shape, or undefined when it does not exist. */
export type LiveAttributes = Record<string, unknown> | undefined;

/**
 * Reads one Terraform resource type back from AWS, in the attribute shape of the synthesized
 * cdk.tf.json (snake_case arguments, nested blocks as the JSON has them), holding what
 * Terraform would hold: equivalences the provider accepts are settled here, not in the
 * comparison. Adding a resource type to the verifier is adding a reader.
 */
export interface ResourceReader {
  /** The Terraform type, e.g. `aws_s3_bucket_versioning`. */
  readonly type: string;
  /** Declared arguments AWS does not return: compared nowhere (the README lists them). */
  readonly unreadable?: readonly string[];
  /** True when the providers' `default_tags` apply: `tags_all` is then expected. */
  readonly taggable?: boolean;
  /**
   * Expectations that are not arguments: the bucket's region (from its provider), the key's
   * state. Merged into the declared attributes.
   */
  expectations?(target: ReadTarget): Record<string, unknown>;
  /** The live resource; rejects with the SDK's error when AWS cannot answer. */
  read(ctx: VerifyContext, target: ReadTarget): Promise<LiveAttributes>;
  /**
   * What exists live around the resource that the stack does not declare and that widens
   * access or moves data: one failing row each (see `undeclaredRow`).
   */
  undeclared?(ctx: VerifyContext, target: ReadTarget): Promise<VerifyRow[]>;
}

/** A failing row for something live that the stack does not declare. */
export function undeclaredRow(target: ReadTarget, path: string, found: string): VerifyRow {
  return { resource: target.label, path, expected: NOT_DECLARED, found, status: "fail", note: "not declared" };
}

/**
 * The live id the deployment's index found for a resource with no name of its own (a key, a
 * distribution, an origin access control), or undefined when none was found.
 */
export function liveId(ctx: VerifyContext, target: ReadTarget, attribute = "id"): string | undefined {
  const id = String(ctx.declaration.applied(target.resource).values[attribute]);
  return id.startsWith("(missing") ? undefined : id;
}

/** A declared string argument (resolved). */
export function declaredString(target: ReadTarget, argument: string): string {
  return String(target.declared[argument] ?? "");
}

/**
 * The reader of a bucket configuration that one S3 call returns. `absent` names the errors S3
 * answers when the bucket has none; `attributes` maps the answer to Terraform's shape, or to
 * undefined when the answer itself says there is none.
 */
export function bucketConfigurationReader<T>(
  type: string,
  get: (s3: S3Client, Bucket: string) => Promise<T>,
  absent: readonly string[],
  attributes: (answer: T) => Record<string, unknown> | undefined,
): ResourceReader {
  return {
    type,
    async read(ctx, target) {
      const bucket = declaredString(target, "bucket");
      const live = await unlessAbsent(() => get(ctx.clients.s3(target.region), bucket), absent);
      const found = live === undefined ? undefined : attributes(live);
      return found === undefined ? undefined : { bucket, ...found };
    },
  };
}
