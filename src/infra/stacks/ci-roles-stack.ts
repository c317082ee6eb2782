import { Construct } from "constructs";
import { kmsAliasArn, managedPolicyArn, roleArn } from "../../common/arn";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { bucketNames, iamNames, keyAliases, stateKeyAlias } from "../../config/names";
import { Settings, stateObjectKey, stateRegion } from "../../config/schema";
import { defaultTags } from "../../config/tags";
import { AccountIdentity } from "../constructs/account-identity";
import {
  CiRoleProps,
  GITHUB_AUDIENCE,
  GITHUB_TOKEN_ISSUER,
  applyRolePolicy,
  applySubjects,
  githubTrustPolicy,
  planRolePolicy,
  planSubjects,
} from "../policies/ci-roles";
import { PublishDistribution, publishRolePolicy } from "../policies/ci-publish-role";
import { PolicyDocument, renderPolicy } from "../policies/document";
import { replicationBoundaryPolicy } from "../policies/replication-role";
import { requireTerraformVersion } from "./terraform-version";

/**
 * The CI's three roles, as code instead of prose: what the GitHub workflow assumes through OIDC.
 * - the plan role, for the repository's pull requests and its `main` branch: reads the site
 *   and the state, takes the lock, writes nothing else;
 * - the apply role, for jobs in the repository's `production` environment only: manages
 *   exactly this project's buckets, keys, aliases and replication role (see `applyRolePolicy`);
 * - the publish role, for the same environment: writes the site's files into the primary bucket
 *   and invalidates the distribution, nothing else (see `publishRolePolicy`);
 * - the permissions boundary the replication role carries, which the apply role can neither
 *   change nor remove;
 * - the account's GitHub OIDC provider, unless `ci.oidcProviderArn` names an existing one.
 * Deployed once by an administrator, after `site-state` (it reads the state key's alias) and
 * before the first CI run; its own state stays local, like `site-state`'s.
 */
export class CiRolesStack extends TerraformStack {
  readonly planRole: IamRole;
  readonly applyRole: IamRole;
  readonly publishRole: IamRole;
  readonly replicationBoundary: IamPolicy;
  /** The OIDC provider this stack creates; undefined when `ci.oidcProviderArn` names one. */
  readonly oidcProvider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    requireTerraformVersion(this);
    const { ci, backend } = settings;
    if (ci === undefined || backend.type !== "s3") {
      throw new Error(`${id}: needs settings.ci and backend.type "s3" (the settings schema requires both together)`);
    }
    const tags = defaultTags(settings, { Purpose: "ci" });
    // IAM is global; the provider's region is where the state key is looked up.
    const provider = new AwsProvider(this, "ci", {
      alias: "ci",
      region: stateRegion(settings),
      defaultTags: [{ tags }],
    });
    const { accountId, partition, dnsSuffix } = new AccountIdentity(this, "account", { provider });
    const names = iamNames(settings.project);

    if (ci.oidcProviderArn === undefined) {
      // GitHub's token issuer; AWS no longer needs a thumbprint for it.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
      this.oidcProvider = new IamOpenidConnectProvider(this, "github-oidc", {
        provider,
        url: `https://${GITHUB_TOKEN_ISSUER}`,
        clientIdList: [GITHUB_AUDIENCE],
      });
    }
    const oidcProviderArn = ci.oidcProviderArn ?? (this.oidcProvider as IamOpenidConnectProvider).arn;
    const stateKmsKey = new DataAwsKmsAlias(this, "state-key", { provider, name: stateKeyAlias(settings.project) });

    const sites = bucketNames(settings.project, accountId);
    const props = ciRoleProps(settings, { accountId, partition, dnsSuffix }, tags.Project, {
      bucket: backend.bucket,
      kmsKeyArn: stateKmsKey.targetKeyArn,
    });

    this.replicationBoundary = this.boundary(provider, settings, { accountId, partition, dnsSuffix });
    this.planRole = this.role(
      "plan",
      provider,
      names.ciPlanRole,
      githubTrustPolicy(oidcProviderArn, planSubjects(ci.githubRepository)),
      planRolePolicy(props),
      `terraform plan of ${settings.project} from ${ci.githubRepository} pull requests and main`,
    );
    this.applyRole = this.role(
      "apply",
      provider,
      names.ciApplyRole,
      githubTrustPolicy(oidcProviderArn, applySubjects(ci.githubRepository)),
      applyRolePolicy(props),
      `terraform apply of ${settings.project} from ${ci.githubRepository}'s production environment`,
    );
    this.publishRole = this.role(
      "publish",
      provider,
      names.ciPublishRole,
      githubTrustPolicy(oidcProviderArn, applySubjects(ci.githubRepository)),
      publishRolePolicy({
        partition,
        accountId,
        dnsSuffix,
        projectTag: tags.Project,
        primaryBucketName: sites.primary,
        primaryRegion: settings.primaryRegion,
        stateKmsKeyArn: stateKmsKey.targetKeyArn,
        distribution: publishDistribution(settings, tags.Project),
        listDistributions: settings.cloudfrontDistributionArn === undefined,
      }),
      `npm run publish of ${settings.project} from ${ci.githubRepository}'s production environment`,
    );

    this.addOutputs();
  }

  /** The replication role's permissions boundary: replication between the site's buckets only. */
  private boundary(
    provider: AwsProvider,
    settings: Settings,
    identity: { accountId: string; partition: string; dnsSuffix: string },
  ): IamPolicy {
    const names = iamNames(settings.project);
    const sites = bucketNames(settings.project, identity.accountId);
    return new IamPolicy(this, "replication-boundary", {
      provider,
      name: names.replicationBoundary,
      description: `Permissions boundary of ${names.replicationRole}: replication between the ${settings.project} buckets only`,
      policy: renderPolicy(
        replicationBoundaryPolicy({
          ...identity,
          sourceBucketName: sites.primary,
          sourceRegion: settings.primaryRegion,
          destinationBucketName: sites.replica,
          destinationRegion: settings.replicaRegion,
        }),
      ),
    });
  }

  /** The ARNs an administrator copies into the workflow's variables. */
  private addOutputs(): void {
    const outputs: Record<string, { value: string; description: string }> = {
      plan_role_arn: { value: this.planRole.arn, description: "The workflow's vars.AWS_PLAN_ROLE_ARN" },
      apply_role_arn: { value: this.applyRole.arn, description: "The workflow's vars.AWS_APPLY_ROLE_ARN" },
      publish_role_arn: { value: this.publishRole.arn, description: "The workflow's vars.AWS_PUBLISH_ROLE_ARN" },
      replication_boundary_arn: {
        value: this.replicationBoundary.arn,
        description: "Permissions boundary of the replication role",
      },
    };
    for (const [name, output] of Object.entries(outputs)) {
      new TerraformOutput(this, name, output).overrideLogicalId(name);
    }
  }

  /** One CI role: its trust, and its permissions as one inline policy. */
  private role(
    id: string,
    provider: AwsProvider,
    name: string,
    trust: PolicyDocument,
    permissions: PolicyDocument,
    description: string,
  ): IamRole {
    const role = new IamRole(this, `${id}-role`, {
      provider,
      name,
      description,
      assumeRolePolicy: renderPolicy(trust),
    });
    new IamRolePolicy(this, `${id}-policy`, {
      provider,
      name: `${id}-permissions`,
      role: role.id,
      policy: renderPolicy(permissions),
    });
    return role;
  }
}

/** The distribution publish invalidates: the one the settings name, else the CDN stage's, else none. */
function publishDistribution(settings: Settings, projectTag: string): PublishDistribution | undefined {
  if (settings.cloudfrontDistributionArn !== undefined) return { arn: settings.cloudfrontDistributionArn };
  return settings.cdn.enabled ? { taggedWith: projectTag } : undefined;
}

/** What the CI roles' policies name, from the settings, the account, the state bucket and the state key's ARN. */
function ciRoleProps(
  settings: Settings,
  identity: { accountId: string; partition: string; dnsSuffix: string },
  projectTag: string,
  state: { readonly bucket: string; readonly kmsKeyArn: string },
): CiRoleProps {
  const { accountId, partition, dnsSuffix } = identity;
  const names = iamNames(settings.project);
  const sites = bucketNames(settings.project, accountId);
  const aliases = keyAliases(settings.project);
  return {
    partition,
    accountId,
    dnsSuffix,
    projectTag,
    regions: [settings.primaryRegion, settings.replicaRegion],
    siteBucketNames: [sites.primary, sites.replica, sites.primaryLogs, sites.replicaLogs],
    replicationRoleArn: roleArn(partition, accountId, names.replicationRole),
    replicationBoundaryArn: managedPolicyArn(partition, accountId, names.replicationBoundary),
    keyAliasArns: [
      kmsAliasArn(partition, settings.primaryRegion, accountId, aliases.primary),
      kmsAliasArn(partition, settings.replicaRegion, accountId, aliases.replica),
    ],
    stateBucket: state.bucket,
    stateObjectKey: stateObjectKey(settings),
    stateKmsKeyArn: state.kmsKeyArn,
    stateRegion: stateRegion(settings),
    cdn: settings.cdn.enabled
      ? {
          partition,
          accountId,
          projectTag,
          hostedZoneId: settings.cdn.hostedZoneId,
          domainNames: settings.cdn.domainNames,
        }
      : undefined,
  };
}
