/**
 * IAM policy documents as typed data. Builders return these; constructs serialize them with
 * `renderPolicy`, and tests parse the synthesized string back into the same shape.
 * Values may be cdktf tokens (the account id, an ARN): they render as Terraform interpolations.
 */

/** Condition operator → context key → value(s), as in IAM JSON. */
export type Conditions = Record<string, Record<string, string | string[]>>;

/** A principal block: `"*"` or by type (AWS, Service). */
export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };

/** One statement of a policy document. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  /** Absent in identity policies (the role's permission policy). */
  readonly Principal?: Principal;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Conditions;
}

/** A policy document (key, bucket, trust or identity policy). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Statement[];
}

/** Wraps statements in a document with the current policy language version. */
export function policyDocument(statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Serializes a document for a Terraform `policy` argument. */
export function renderPolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}
