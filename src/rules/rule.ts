/**
 * What a rule is, for the catalog and the engine alike: a pure function from one subject to an
 * `Outcome`, named after its file, and the catalog's data about it (ID, level, wording, mappings).
 */
import { parse } from "node:path";
import { Outcome } from "./outcome";
import { DistributionSubject, ResourcePolicySubject } from "./cloudfront-subjects";
import { IamSubject } from "./iam-subjects";
import { BucketSubject, KeySubject, ResourceSubject } from "./subjects";

/** An error finding fails synth; a warning is printed and lets synth go on. */
export type Level = "error" | "warning";

/** The subjects rules judge, by kind (see `subjects.ts`). */
export interface SubjectKinds {
  readonly bucket: BucketSubject;
  readonly key: KeySubject;
  readonly iam: IamSubject;
  readonly distribution: DistributionSubject;
  readonly resourcePolicy: ResourcePolicySubject;
  readonly resource: ResourceSubject;
}

/** A rule function: judges one subject. Its `name` is its file's name (see `namedAfterFile`). */
export type Evaluate<S> = (subject: S) => Outcome;

/**
 * Names a rule function after the file that declares it, as cdk-nag does
 * (`Object.defineProperty(fn, "name", { value: parse(__filename).name })`): the rule's name is
 * its file's name, `s3-bucket-versioning-enabled`, and cannot drift from it. Call it with
 * `__filename`.
 */
export function namedAfterFile<S>(file: string, evaluate: Evaluate<S>): Evaluate<S> {
  return Object.defineProperty(evaluate, "name", { value: parse(file).name });
}

/** What the catalog says about a rule, besides its function. */
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

/** A rule of the catalog: its info, the kind of subject it judges, and its function. */
export type RuleDefinition = {
  [K in keyof SubjectKinds]: RuleInfo & { readonly subject: K; readonly evaluate: Evaluate<SubjectKinds[K]> };
}[keyof SubjectKinds];
