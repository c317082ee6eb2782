import { IamSubject } from "../../iam-subjects";
import { statementName, wildcardMatches } from "../../../common/policy";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";

/**
 * Actions that do not support resource-level permissions, so `"Resource": "*"` is the only way
 * to grant them (from the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 * Any action not listed counts as restrictable: a false alarm can be suppressed with a reason,
 * a missed wildcard cannot be noticed.
 */
const UNRESTRICTABLE_ACTIONS = [
  "s3:ListAllMyBuckets",
  "s3:GetAccountPublicAccessBlock",
  "s3:PutAccountPublicAccessBlock",
  "s3:ListAccessPoints",
  "s3:ListJobs",
  "s3:CreateJob",
  "s3:ListStorageLensConfigurations",
  "s3:ListMultiRegionAccessPoints",
  "kms:CreateKey",
  "kms:CreateCustomKeyStore",
  "kms:ConnectCustomKeyStore",
  "kms:DeleteCustomKeyStore",
  "kms:DescribeCustomKeyStores",
  "kms:DisconnectCustomKeyStore",
  "kms:UpdateCustomKeyStore",
  "kms:GenerateRandom",
  "kms:ListAliases",
  "kms:ListKeys",
  "kms:ListRetirableGrants",
  "sts:GetCallerIdentity",
  "sts:GetSessionToken",
  "sts:DecodeAuthorizationMessage",
  "sts:GetAccessKeyInfo",
  "iam:GetAccountSummary",
  "iam:GetAccountPasswordPolicy",
  "iam:ListAccountAliases",
  "iam:ListRoles",
  "iam:ListPolicies",
  "iam:ListUsers",
  "iam:ListGroups",
  "iam:GetAccountAuthorizationDetails",
  "iam:GenerateCredentialReport",
  "iam:GetCredentialReport",
  "cloudfront:ListDistributions",
  "cloudfront:ListOriginAccessControls",
  "acm:ListCertificates",
  "cloudwatch:PutMetricData",
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "ec2:Describe*",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
];

function restrictable(action: string): boolean {
  return !UNRESTRICTABLE_ACTIONS.some((unrestrictable) => wildcardMatches(unrestrictable, action));
}

/**
 * Compliant: no Allow statement of the identity policies grants a restrictable action on `"*"` or via NotResource.
 *
 * Restrictable: any action not in `UNRESTRICTABLE_ACTIONS`. Not applicable to a role whose only
 * document is its trust policy, which names no resource.
 */
export default namedAfterFile(__filename, (subject: IamSubject): Outcome => {
  const identity = subject.documents.filter((d) => d.kind === "identity");
  if (identity.length === 0) return notApplicable("only a trust policy, which names no resource");
  const problems: string[] = [];
  for (const { argument, policy } of identity) {
    if (!policy.readable) {
      problems.push(`${argument}: cannot verify: ${policy.why}`);
      continue;
    }
    policy.policy.Statement.forEach((s, i) => {
      if (s.Effect !== "Allow") return;
      const where = `statement ${statementName(s, i)} of ${argument}`;
      const actions = s.NotAction !== undefined ? ["*"] : (s.Action ?? []).filter(restrictable);
      if (actions.length === 0) return;
      if (s.NotResource !== undefined) problems.push(`${where} grants ${actions.join(", ")} through NotResource`);
      else if ((s.Resource ?? []).includes("*")) problems.push(`${where} grants ${actions.join(", ")} on "*"`);
    });
  }
  return problems.length > 0
    ? nonCompliant(problems.join("; "))
    : compliant("every restrictable action names its resources");
});
