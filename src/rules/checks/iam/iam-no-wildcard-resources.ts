import { IamSubject } from "../../iam-subjects";
import { NormalStatement, wildcardMatches } from "../../../common/policy";
import { Outcome, compliant, nonCompliant, notApplicable } from "../../outcome";
import { namedAfterFile } from "../../rule";
import { statementProblems } from "../../statement-problems";

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

/** What a statement grants on every resource, or undefined when it names its resources. */
function unscopedGrant(s: NormalStatement): string | undefined {
  if (s.Effect !== "Allow") return undefined;
  const actions = s.NotAction !== undefined ? ["*"] : (s.Action ?? []).filter(restrictable);
  if (actions.length === 0) return undefined;
  if (s.NotResource !== undefined) return `grants ${actions.join(", ")} through NotResource`;
  return (s.Resource ?? []).includes("*") ? `grants ${actions.join(", ")} on "*"` : undefined;
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
  const problems = statementProblems(
    identity.map(({ argument, policy }) => ({ where: argument, policy })),
    unscopedGrant,
  );
  return problems.length > 0
    ? nonCompliant(problems.join("; "))
    : compliant("every restrictable action names its resources");
});
