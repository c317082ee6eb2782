// The ARN fields of the settings: each is parsed by the one ARN module (src/common/arn.ts), then
// held to its service, region, 12-digit account and resource shape.
import { parseSettings } from "../../src/config/load";
import { onlyProblemOf } from "./helpers/config-problems";

const ARN_RULE = "must be a CloudFront distribution ARN: arn:aws:cloudfront::<12-digit account>:distribution/<ID>";

describe("cloudfrontDistributionArn", () => {
  it.each([
    "E2QWRUHAPOMQZL",
    "arn:aws:cloudfront::1111:distribution/E2QWRUHAPOMQZL",
    "arn:aws:cloudfront::111122223333:distribution/*",
    "arn:aws:cloudfront::111122223333:distribution/e2qwruhapomqzl",
    "arn:aws:cloudfront:us-east-1:111122223333:distribution/E2QWRUHAPOMQZL",
    "arn:aws:s3:::portfolio-site-primary-111122223333",
    "arn:aws-iso:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
  ])("rejects the malformed ARN %j", (value) => {
    expect(onlyProblemOf({ cloudfrontDistributionArn: value, cdn: { enabled: false } })).toEqual({
      field: "cloudfrontDistributionArn",
      value,
      rule: ARN_RULE,
    });
  });

  it.each([
    "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
    "arn:aws-cn:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
  ])("accepts %j", (value) => {
    expect(parseSettings({ cloudfrontDistributionArn: value, cdn: { enabled: false } }).cloudfrontDistributionArn).toBe(
      value,
    );
  });
});

describe("the ARN fields besides the distribution", () => {
  const s3 = { type: "s3", bucket: "acme-tfstate", key: "site/terraform.tfstate" };
  const KEY_RULE = "must be a KMS key ARN: arn:aws:kms:<region>:<12-digit account>:key/<key id>";
  const OIDC_RULE =
    "must be the ARN of the account's GitHub OIDC provider: arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com";
  const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  it.each([
    `arn:aws:kms:us-east-1:123456789012:alias/state`,
    `arn:aws:kms::123456789012:key/${KEY_ID}`,
    `arn:aws:kms:mars-north-1:123456789012:key/${KEY_ID}`,
    `arn:aws:kms:us-east-1:1234:key/${KEY_ID}`,
    `arn:aws-iso:kms:us-east-1:123456789012:key/${KEY_ID}`,
    `arn:aws:s3:us-east-1:123456789012:key/${KEY_ID}`,
    KEY_ID,
  ])("backend.kmsKeyArn rejects %j", (value) => {
    expect(onlyProblemOf({ backend: { ...s3, kmsKeyArn: value } })).toEqual({
      field: "backend.kmsKeyArn",
      value,
      rule: KEY_RULE,
    });
  });

  it.each([`arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`, `arn:aws-cn:kms:cn-north-1:123456789012:key/${KEY_ID}`])(
    "backend.kmsKeyArn accepts %j",
    (value) => {
      expect(parseSettings({ backend: { ...s3, kmsKeyArn: value } }).backend).toMatchObject({ kmsKeyArn: value });
    },
  );

  it.each([
    "arn:aws:iam:us-east-1:123456789012:oidc-provider/token.actions.githubusercontent.com",
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com.evil.example",
    "arn:aws:sts::123456789012:oidc-provider/token.actions.githubusercontent.com",
  ])("ci.oidcProviderArn rejects %j", (value) => {
    expect(onlyProblemOf({ backend: s3, ci: { githubRepository: "acme/site", oidcProviderArn: value } })).toEqual({
      field: "ci.oidcProviderArn",
      value,
      rule: OIDC_RULE,
    });
  });

  it("ci.oidcProviderArn accepts the GitHub provider in a GovCloud account", () => {
    const arn = "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    expect(
      parseSettings({ backend: s3, ci: { githubRepository: "acme/site", oidcProviderArn: arn } }).ci,
    ).toMatchObject({ oidcProviderArn: arn });
  });
});
