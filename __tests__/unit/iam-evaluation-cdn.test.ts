// What the CDN stage's policies allow and refuse, decided by an IAM policy evaluator: the primary
// key and bucket grants pinned to the stack's own distribution, and the CI roles with the CDN
// stage (a custom domain in a hosted zone), including what a review of the provider's calls took
// away from them. Each row is one request with the context AWS sends, and the decision AWS must
// make, written from AWS's rules and the design.
import { ACCOUNT, DEPLOYED_DISTRIBUTION_ID, DeployedPolicies } from "./helpers/deployed-policies";
import { Row, describeRows, itLetsInOnceWeakened, request } from "./helpers/evaluator-rows";

const ZONE = "Z0ACMESITEZONE";
const deployed = new DeployedPolicies({
  project: "acme-site",
  backend: { type: "s3", bucket: `acme-site-tfstate-${ACCOUNT}` },
  ci: { githubRepository: "acme/site" },
  cdn: { domainNames: ["www.acme.example"], hostedZoneId: ZONE },
});

const PRIMARY = `acme-site-primary-${ACCOUNT}`;
const THIS_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/${DEPLOYED_DISTRIBUTION_ID}`;
const OTHER_DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2OTHERSITE000`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const PLAN_ROLE = role("acme-site-ci-plan");
const APPLY_ROLE = role("acme-site-ci-apply");
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/acme-site-s3-replication-boundary`;
const s3 = (bucket: string, key?: string) => `arn:aws:s3:::${bucket}${key === undefined ? "" : `/${key}`}`;
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const PROJECT = { "aws:ResourceTag/Project": "acme-site" };
const OTHER_PROJECT = { "aws:ResourceTag/Project": "payroll" };
const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/0a1b2c3d-0000-4000-8000-123456789abc`;
const zone = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
const records = (...names: string[]) => ({ "route53:ChangeResourceRecordSetsNormalizedRecordNames": names });

const keys = {
  primary: deployed.keyArnAt("site-storage/primary-key/key"),
  state: deployed.keyArnAt("site-state/state-key/key"),
};
const policies = {
  primaryKey: deployed.policy("aws_kms_key_policy", "site-storage/primary-key/policy"),
  stateKey: deployed.policy("aws_kms_key_policy", "site-state/state-key/policy"),
  primaryBucket: deployed.policy("aws_s3_bucket_policy", "site-storage/primary-bucket/policy"),
  planPermissions: deployed.policy("aws_iam_role_policy", "site-ci/plan-policy"),
  applyPermissions: deployed.policy("aws_iam_role_policy", "site-ci/apply-policy"),
};
const plan = { identity: [policies.planPermissions] };
const apply = { identity: [policies.applyPermissions] };

const fromCloudFront = (distribution: string) => ({ "aws:SourceArn": distribution, "aws:SourceAccount": ACCOUNT });

const PINNED_GRANT_ROWS: Row[] = [
  {
    about: "CloudFront decrypts with the primary key for the stack's own distribution",
    request: request("cloudfront.amazonaws.com", "kms:Decrypt", keys.primary, fromCloudFront(THIS_DISTRIBUTION)),
    policies: { resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "CloudFront may not decrypt with the primary key for another distribution of the same account",
    request: request("cloudfront.amazonaws.com", "kms:Decrypt", keys.primary, fromCloudFront(OTHER_DISTRIBUTION)),
    policies: { resource: policies.primaryKey },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront reads the primary bucket's objects for the stack's own distribution",
    request: request("cloudfront.amazonaws.com", "s3:GetObject", s3(PRIMARY, "index.html"), {
      ...TLS,
      ...fromCloudFront(THIS_DISTRIBUTION),
    }),
    policies: { resource: policies.primaryBucket },
    expected: "Allowed",
  },
  {
    about: "CloudFront may not read the primary bucket for another distribution of the same account",
    request: request("cloudfront.amazonaws.com", "s3:GetObject", s3(PRIMARY, "index.html"), {
      ...TLS,
      ...fromCloudFront(OTHER_DISTRIBUTION),
    }),
    policies: { resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
  {
    about: "CloudFront may not list the primary bucket, even for its own distribution (a missing file is a 403)",
    request: request("cloudfront.amazonaws.com", "s3:ListBucket", s3(PRIMARY), {
      ...TLS,
      ...fromCloudFront(THIS_DISTRIBUTION),
    }),
    policies: { resource: policies.primaryBucket },
    expected: "ImplicitlyDenied",
  },
];

const CI_ROWS: Row[] = [
  {
    about: "the apply role may not create a key, even one tagged with the project (an administrator's act)",
    request: request(APPLY_ROLE, "kms:CreateKey", "*", {
      "aws:RequestTag/Project": "acme-site",
      "aws:TagKeys": ["Project", "ManagedBy"],
    }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not delete a site bucket's policy (only a destroy does)",
    request: request(APPLY_ROLE, "s3:DeleteBucketPolicy", s3(PRIMARY), TLS),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not delete a site key's alias",
    request: request(APPLY_ROLE, "kms:DeleteAlias", `arn:aws:kms:us-east-1:${ACCOUNT}:alias/acme-site-primary`),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not delete the replication role's inline policy, boundary or not",
    request: request(APPLY_ROLE, "iam:DeleteRolePolicy", role("acme-site-s3-replication"), {
      "iam:PermissionsBoundary": BOUNDARY,
    }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role still updates a project key's policy",
    request: request(APPLY_ROLE, "kms:PutKeyPolicy", keys.primary, PROJECT),
    policies: { ...apply, resource: policies.primaryKey },
    expected: "Allowed",
  },
  {
    about: "the apply role may not change the state key's policy, though it carries the project's tag",
    request: request(APPLY_ROLE, "kms:PutKeyPolicy", keys.state, PROJECT),
    policies: { ...apply, resource: policies.stateKey },
    expected: "ExplicitlyDenied",
  },
  {
    about: "the plan role may not read the state key's policy, though it carries the project's tag",
    request: request(PLAN_ROLE, "kms:GetKeyPolicy", keys.state, PROJECT),
    policies: { ...plan, resource: policies.stateKey },
    expected: "ExplicitlyDenied",
  },
  {
    about: "the plan role still decrypts the state through S3",
    request: request(PLAN_ROLE, "kms:Decrypt", keys.state, { "kms:ViaService": "s3.us-east-1.amazonaws.com" }),
    policies: { ...plan, resource: policies.stateKey },
    expected: "Allowed",
  },
  {
    about: "the plan role reads the project's distribution",
    request: request(PLAN_ROLE, "cloudfront:GetDistributionConfig", THIS_DISTRIBUTION, PROJECT),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not read another project's distribution",
    request: request(PLAN_ROLE, "cloudfront:GetDistributionConfig", OTHER_DISTRIBUTION, OTHER_PROJECT),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not update the distribution",
    request: request(PLAN_ROLE, "cloudfront:UpdateDistribution", THIS_DISTRIBUTION, PROJECT),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads the origin access controls",
    request: request(
      PLAN_ROLE,
      "cloudfront:GetOriginAccessControl",
      `arn:aws:cloudfront::${ACCOUNT}:origin-access-control/E3OAC`,
    ),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the apply role updates the project's distribution in place",
    request: request(APPLY_ROLE, "cloudfront:UpdateDistribution", THIS_DISTRIBUTION, PROJECT),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role may not update another project's distribution",
    request: request(APPLY_ROLE, "cloudfront:UpdateDistribution", OTHER_DISTRIBUTION, OTHER_PROJECT),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not create a distribution (an administrator's act, like a key)",
    // CreateDistribution takes no resource ARN: "*" is the only resource it has.
    request: request(APPLY_ROLE, "cloudfront:CreateDistribution", "*", {
      "aws:RequestTag/Project": "acme-site",
      "aws:TagKeys": ["Project"],
    }),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not delete the project's distribution",
    request: request(APPLY_ROLE, "cloudfront:DeleteDistribution", THIS_DISTRIBUTION, PROJECT),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not change an origin access control",
    request: request(
      APPLY_ROLE,
      "cloudfront:UpdateOriginAccessControl",
      `arn:aws:cloudfront::${ACCOUNT}:origin-access-control/E3OAC`,
    ),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads the project's certificate in us-east-1",
    request: request(PLAN_ROLE, "acm:DescribeCertificate", CERTIFICATE, PROJECT),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not read another project's certificate",
    request: request(PLAN_ROLE, "acm:DescribeCertificate", CERTIFICATE, OTHER_PROJECT),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role reads the records of the site's zone",
    request: request(PLAN_ROLE, "route53:ListResourceRecordSets", zone(ZONE)),
    policies: plan,
    expected: "Allowed",
  },
  {
    about: "the plan role may not read another zone",
    request: request(PLAN_ROLE, "route53:ListResourceRecordSets", zone("Z0OTHERZONE")),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role points the site's name at the distribution in the site's zone",
    request: request(APPLY_ROLE, "route53:ChangeResourceRecordSets", zone(ZONE), records("www.acme.example")),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role writes the name's ACM validation record",
    request: request(APPLY_ROLE, "route53:ChangeResourceRecordSets", zone(ZONE), records("_3f2a9c.www.acme.example")),
    policies: apply,
    expected: "Allowed",
  },
  {
    about: "the apply role may not write any other name of the zone",
    request: request(
      APPLY_ROLE,
      "route53:ChangeResourceRecordSets",
      zone(ZONE),
      records("www.acme.example", "mail.acme.example"),
    ),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the apply role may not write records in another zone",
    request: request(APPLY_ROLE, "route53:ChangeResourceRecordSets", zone("Z0OTHERZONE"), records("www.acme.example")),
    policies: apply,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role may not write records",
    request: request(PLAN_ROLE, "route53:ChangeResourceRecordSets", zone(ZONE), records("www.acme.example")),
    policies: plan,
    expected: "ImplicitlyDenied",
  },
  {
    about: "the plan role still asks a site bucket's region (the verifier's region rows need it)",
    request: request(PLAN_ROLE, "s3:GetBucketLocation", s3(PRIMARY), TLS),
    policies: plan,
    expected: "Allowed",
  },
];

describeRows([
  ["the key and bucket grants pinned to the distribution", PINNED_GRANT_ROWS],
  ["the CI roles with the CDN stage", CI_ROWS],
]);

describe("the table can fail: a pinned grant without its condition lets another distribution in", () => {
  itLetsInOnceWeakened(PINNED_GRANT_ROWS, [
    [
      "CloudFront may not decrypt with the primary key for another distribution of the same account",
      "AllowCloudFrontToDecrypt",
    ],
    [
      "CloudFront may not read the primary bucket for another distribution of the same account",
      "AllowCloudFrontOriginAccessControlRead",
    ],
  ]);
});

describe("the table can fail: a CI statement without its condition lets the role past its scope", () => {
  itLetsInOnceWeakened(CI_ROWS, [
    ["the apply role may not write any other name of the zone", "WriteSiteRecords"],
    ["the apply role may not update another project's distribution", "UpdateProjectDistributions"],
    ["the plan role may not read another project's distribution", "ReadProjectDistributions"],
  ]);
});
