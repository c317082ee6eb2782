// What the CI roles may read of the CDN stage for `npm run verify -- --no-probe` (the apply job
// runs it after the apply), decided by an IAM policy evaluator: every CloudFront and ACM call in
// the one map of verify's calls, on the project's own distribution and certificate ("*" for the
// List calls, which take no resource), and nothing on another account's or an untagged
// distribution. The stack has the CDN stage with a custom domain in a hosted zone.
import { VERIFY_READS, VerifyCallScope } from "../../src/common/verify-calls";
import { ACCOUNT, DEPLOYED_DISTRIBUTION_ID, DeployedPolicies, OTHER_ACCOUNT } from "./helpers/deployed-policies";
import { Row, describeRows, request } from "./helpers/evaluator-rows";

const deployed = new DeployedPolicies({
  project: "acme-site",
  backend: { type: "s3", bucket: `acme-site-tfstate-${ACCOUNT}` },
  ci: { githubRepository: "acme/site" },
  cdn: { domainNames: ["www.acme.example"], hostedZoneId: "Z0ACMESITEZONE" },
});

const THIS_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/${DEPLOYED_DISTRIBUTION_ID}`;
const OTHER_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2OTHERSITE000`;
const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0a1b2c3d-0000-4000-8000-123456789abc`;
const PROJECT = { "aws:ResourceTag/Project": "acme-site" };
const PLAN_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-site-ci-plan`;
const APPLY_ROLE = `arn:aws:iam::${ACCOUNT}:role/acme-site-ci-apply`;
const plan = { identity: [deployed.policy("aws_iam_role_policy", "site-ci/plan-policy")] };
const apply = { identity: [deployed.policy("aws_iam_role_policy", "site-ci/apply-policy")] };

/** What verify reads the CDN stage's calls on: the project's own resources (tagged), or "*" for a List call. */
const TARGETS: Readonly<Partial<Record<VerifyCallScope, { resource: string; context: Record<string, string> }>>> = {
  distribution: { resource: THIS_DISTRIBUTION, context: PROJECT },
  "origin-access-control": { resource: `arn:aws:cloudfront::${ACCOUNT}:origin-access-control/E3OAC`, context: {} },
  certificate: { resource: CERTIFICATE, context: PROJECT },
  any: { resource: "*", context: {} },
};

/** Verify's CloudFront and ACM calls, from the one map. */
const CDN_READS = Object.values(VERIFY_READS)
  .flatMap((c) => c.actions.map((action) => ({ action, scope: c.scope })))
  .filter(({ action }) => /^(cloudfront|acm):/.test(action));

const ALLOWED_ROWS: Row[] = (
  [
    ["plan", PLAN_ROLE, plan],
    ["apply", APPLY_ROLE, apply],
  ] as const
).flatMap(([name, principal, policies]) =>
  CDN_READS.map(({ action, scope }): Row => {
    const target = TARGETS[scope];
    if (target === undefined) throw new Error(`no target for verify's ${action} on a ${scope}`);
    return {
      about: `the ${name} role may ${action} on ${target.resource === "*" ? '"*"' : `the project's ${scope}`}, as verify does`,
      request: request(principal, action, target.resource, target.context),
      policies,
      expected: "Allowed",
    };
  }),
);

const REFUSED_ROWS: Row[] = [
  {
    about: "the apply role may not read another account's distribution, even one tagged with the project",
    request: request(
      APPLY_ROLE,
      "cloudfront:GetDistribution",
      `arn:aws:cloudfront::${OTHER_ACCOUNT}:distribution/E2OTHER`,
      PROJECT,
      OTHER_ACCOUNT,
    ),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not read an untagged distribution of the account",
    request: request(APPLY_ROLE, "cloudfront:GetDistribution", OTHER_DISTRIBUTION),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not read an untagged distribution of the account",
    request: request(PLAN_ROLE, "cloudfront:GetDistribution", OTHER_DISTRIBUTION),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not describe an untagged certificate",
    request: request(PLAN_ROLE, "acm:DescribeCertificate", CERTIFICATE),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
];

describe("the CI roles' CDN reads for npm run verify", () => {
  it("covers the eight CloudFront and ACM actions of the map, for both roles", () => {
    expect(new Set(ALLOWED_ROWS.map((r) => r.request.action)).size).toBe(8);
    expect(ALLOWED_ROWS).toHaveLength(16);
  });
});

describeRows([
  ["the CI roles' CDN reads for npm run verify", ALLOWED_ROWS],
  ["the CDN reads the CI roles may not make", REFUSED_ROWS],
]);
