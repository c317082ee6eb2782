/**
 * Every policy document the stacks declare, as AWS would hold it once deployed: synthesized
 * from the real stacks, with each Terraform reference replaced by the value AWS would give it
 * in one test account. What the evaluator judges is what ships, not a copy built for the test.
 */
import { TerraformResource, TerraformStack, Testing } from "cdktf";
import { parseSettings } from "../../../src/config/load";
import { SettingsInput } from "../../../src/config/schema";
import { buildApp } from "../../../src/infra/app";
import { Policy } from "./iam-evaluator";

/** The deployment's account, and another one. */
export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";

/** A synthesized resource with its construct path. */
interface Synthesized {
  readonly type: string;
  /** Its name in the Terraform JSON, as references spell it. */
  readonly name: string;
  readonly path: string;
  readonly config: Record<string, unknown>;
}

/** The settings the table is written for: your own distribution (the cdn off), remote state, CI roles. */
export const DEPLOYED_SETTINGS: SettingsInput = {
  project: "acme-site",
  cloudfrontDistributionArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`,
  cdn: { enabled: false },
  backend: { type: "s3", bucket: `acme-site-tfstate-${ACCOUNT}` },
  ci: { githubRepository: "acme/site" },
};

/** The id CloudFront gives the distribution the stack declares (when `cdn.enabled`). */
export const DEPLOYED_DISTRIBUTION_ID = "E1ACMESITECDN0";

/** The ARN of a key as KMS would make it: `key/<uuid>` in its region. */
export function keyArn(region: string, seed: string): string {
  const hex = [...seed]
    .reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(8, "0");
  return `arn:aws:kms:${region}:${ACCOUNT}:key/${hex}-0000-4000-8000-${hex}0000`;
}

/** The deployed policies of one configuration. */
export class DeployedPolicies {
  private readonly resources: Synthesized[] = [];
  private readonly regions = new Map<string, string>();

  constructor(input: SettingsInput = DEPLOYED_SETTINGS) {
    const app = Testing.app();
    buildApp(app, parseSettings(input, "test"));
    for (const stack of app.node.children.filter(TerraformStack.isStack)) {
      const json = JSON.parse(Testing.synth(stack)) as {
        provider?: { aws?: { alias?: string; region?: string }[] };
        resource?: Record<string, Record<string, Record<string, unknown>>>;
      };
      for (const provider of json.provider?.aws ?? []) this.regions.set(`aws.${provider.alias}`, provider.region ?? "");
      // Construct paths come from the tree; the JSON is keyed by type and logical id.
      for (const node of stack.node.findAll()) {
        if (!(node instanceof TerraformResource)) continue;
        const type = node.terraformResourceType;
        const name = node.friendlyUniqueId;
        const config = json.resource?.[type]?.[name];
        if (config !== undefined) this.resources.push({ type, name, path: node.node.path, config });
      }
    }
  }

  /** The value AWS would give one Terraform reference. */
  private valueOf(reference: string): string {
    const [head, type, name, attribute] = reference.split(".");
    if (head === "data" && type === "aws_caller_identity") return ACCOUNT;
    if (head === "data" && type === "aws_partition")
      return name && attribute === "dns_suffix" ? "amazonaws.com" : "aws";
    if (head === "data" && type === "aws_kms_alias") return this.keyArnAt("site-state/state-key/key");
    if (head === "aws_kms_key") return this.keyArnAt(this.byTerraformName(head, type).path);
    if (head === "aws_cloudfront_distribution" && name === "id") return DEPLOYED_DISTRIBUTION_ID;
    if (head === "aws_iam_openid_connect_provider")
      return `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    throw new Error(`no deployed value for \${${reference}}`);
  }

  private byTerraformName(type: string, name: string): Synthesized {
    const found = this.resources.find((r) => r.type === type && r.name === name);
    if (found === undefined) throw new Error(`no ${type}.${name} in the synthesized stacks`);
    return found;
  }

  /** The ARN of the key declared at `path`, in its provider's region. */
  keyArnAt(path: string): string {
    const key = this.at("aws_kms_key", path);
    return keyArn(this.regions.get(String(key.config.provider)) ?? "", path);
  }

  /** The resource of `type` declared at construct path `path`. */
  private at(type: string, path: string): Synthesized {
    const found = this.resources.find((r) => r.type === type && r.path === path);
    if (found === undefined)
      throw new Error(
        `no ${type} at ${path}; declared: ${this.resources
          .filter((r) => r.type === type)
          .map((r) => r.path)
          .join(", ")}`,
      );
    return found;
  }

  /** A policy argument of the resource at `path`, every reference resolved. */
  policy(type: string, path: string, argument = "policy"): Policy {
    const text = String(this.at(type, path).config[argument]);
    const resolved = text.replace(/\$\{([^}]+)\}/g, (_, reference: string) => this.valueOf(reference));
    return JSON.parse(resolved) as Policy;
  }
}
