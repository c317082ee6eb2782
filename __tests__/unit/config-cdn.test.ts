import { parseSettings } from "../../src/config/load";
import { domainNameProblems } from "../../src/config/cdn-schema";
import { onlyProblemOf, problemsOf } from "./helpers/config-problems";

const CERTIFICATE = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-0000-4000-8000-123456789abc";
const ZONE = "Z0123456789ABCDEFGHIJ";
const DISTRIBUTION = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL";
const NOT_KNOWN = "is not a known setting (check the spelling against the config reference in README.md)";
const LABELS_RULE =
  "must be lowercase labels of 1 to 63 letters, digits and hyphens, separated by dots (no wildcard, no trailing dot)";

describe("the cdn defaults", () => {
  it("declare a distribution with the cheapest price class and static error pages, without a custom domain", () => {
    expect(parseSettings({}).cdn).toEqual({ enabled: true, priceClass: "PriceClass_100", errorResponses: "static" });
  });

  it("keep a complete custom-domain section with a certificate as given", () => {
    const cdn = {
      enabled: true,
      priceClass: "PriceClass_All",
      errorResponses: "single-page-app",
      domainNames: ["example.com", "www.example.com"],
      certificateArn: CERTIFICATE,
    } as const;
    expect(parseSettings({ cdn }).cdn).toEqual(cdn);
  });

  it("accept a hosted zone instead of a certificate", () => {
    expect(parseSettings({ cdn: { domainNames: ["www.example.com"], hostedZoneId: ZONE } }).cdn.hostedZoneId).toBe(
      ZONE,
    );
  });

  it("let a user bring their own distribution with the cdn turned off", () => {
    const settings = parseSettings({ cdn: { enabled: false }, cloudfrontDistributionArn: DISTRIBUTION });
    expect(settings.cdn.enabled).toBe(false);
    expect(settings.cloudfrontDistributionArn).toBe(DISTRIBUTION);
  });
});

describe("cdn settings refused, each with its field, value and rule", () => {
  it.each([
    ["enabled", "yes", "must be true or false"],
    ["priceClass", "PriceClass_300", "must be one of PriceClass_100, PriceClass_200, PriceClass_All"],
    ["errorResponses", "spa", "must be one of static, single-page-app"],
    ["hostedZoneId", "/hostedzone/Z123", 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"'],
  ])("cdn.%s %j", (field, value, rule) => {
    const extra = field === "hostedZoneId" ? { domainNames: ["www.example.com"] } : {};
    expect(onlyProblemOf({ cdn: { ...extra, [field]: value } })).toEqual({ field: `cdn.${field}`, value, rule });
  });

  it("refuses an unknown key inside cdn", () => {
    expect(onlyProblemOf({ cdn: { priceclass: "PriceClass_All" } })).toEqual({
      field: "cdn.priceclass",
      value: "PriceClass_All",
      rule: NOT_KNOWN,
    });
  });

  it("refuses a certificate outside us-east-1: CloudFront takes certificates from there only", () => {
    const arn = CERTIFICATE.replace("us-east-1", "eu-west-1");
    expect(onlyProblemOf({ cdn: { domainNames: ["www.example.com"], certificateArn: arn } })).toEqual({
      field: "cdn.certificateArn",
      value: arn,
      rule: "must be a certificate in us-east-1: CloudFront uses ACM certificates from that region only",
    });
  });

  it("refuses what is not a certificate ARN", () => {
    expect(onlyProblemOf({ cdn: { domainNames: ["www.example.com"], certificateArn: "my-cert" } }).rule).toBe(
      "must be an ACM certificate ARN: arn:aws:acm:us-east-1:<12-digit account>:certificate/<id>",
    );
  });

  it("refuses domain names with neither a certificate nor a zone", () => {
    expect(onlyProblemOf({ cdn: { domainNames: ["www.example.com"] } })).toEqual({
      field: "cdn.domainNames",
      value: ["www.example.com"],
      rule: "need either cdn.certificateArn (an existing certificate) or cdn.hostedZoneId (an existing zone to validate a new one in)",
    });
  });

  it("refuses a certificate and a zone together", () => {
    expect(
      onlyProblemOf({ cdn: { domainNames: ["www.example.com"], certificateArn: CERTIFICATE, hostedZoneId: ZONE } }),
    ).toEqual({
      field: "cdn.hostedZoneId",
      value: ZONE,
      rule: "must not be set together with cdn.certificateArn: choose one way to get the certificate",
    });
  });

  it.each([
    ["certificateArn", CERTIFICATE, "needs cdn.domainNames: the names it covers"],
    ["hostedZoneId", ZONE, "needs cdn.domainNames: the names to create in it"],
  ])("refuses cdn.%s without domain names", (field, value, rule) => {
    expect(onlyProblemOf({ cdn: { [field]: value } })).toEqual({ field: `cdn.${field}`, value, rule });
  });

  it("refuses an empty list of domain names", () => {
    expect(onlyProblemOf({ cdn: { domainNames: [], hostedZoneId: ZONE } })).toEqual({
      field: "cdn.domainNames",
      value: [],
      rule: 'must name at least one domain, such as ["www.example.com"]',
    });
  });

  it("refuses a repeated domain name, naming it", () => {
    const names = ["www.example.com", "example.com", "www.example.com"];
    expect(onlyProblemOf({ cdn: { domainNames: names, hostedZoneId: ZONE } })).toEqual({
      field: "cdn.domainNames",
      value: names,
      rule: "must not repeat a name (repeated: www.example.com)",
    });
  });

  it.each([
    ["WWW.example.com", LABELS_RULE],
    ["*.example.com", LABELS_RULE],
    ["example.com.", LABELS_RULE],
    ["-www.example.com", LABELS_RULE],
    ["localhost", 'must have at least two labels, such as "example.com"'],
  ])("refuses the domain name %j, naming the entry", (name, rule) => {
    expect(onlyProblemOf({ cdn: { domainNames: ["ok.example.com", name], hostedZoneId: ZONE } })).toEqual({
      field: "cdn.domainNames.1",
      value: name,
      rule,
    });
  });

  it("measures a domain name against the DNS length limit", () => {
    const long = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com`;
    expect(domainNameProblems(long)).toEqual([`must be at most 253 characters (it is ${long.length})`]);
    expect(domainNameProblems("www.example.com")).toEqual([]);
  });

  it("refuses a domain list that is not a list", () => {
    expect(onlyProblemOf({ cdn: { domainNames: "www.example.com", hostedZoneId: ZONE } }).rule).toBe(
      'must be a list of DNS names, such as ["www.example.com"]',
    );
  });
});

describe("the cdn against the other settings", () => {
  it("refuses the app's distribution together with your own, naming both fields", () => {
    expect(onlyProblemOf({ cloudfrontDistributionArn: DISTRIBUTION })).toEqual({
      field: "cloudfrontDistributionArn",
      value: DISTRIBUTION,
      rule:
        "cannot be used while cdn.enabled is true (the default): either the app declares the distribution " +
        "(remove cloudfrontDistributionArn) or you bring your own (set cdn.enabled to false)",
    });
  });

  it("refuses it with cdn.enabled set to true explicitly too", () => {
    expect(onlyProblemOf({ cdn: { enabled: true }, cloudfrontDistributionArn: DISTRIBUTION }).field).toBe(
      "cloudfrontDistributionArn",
    );
  });

  it.each([
    [
      "us-gov-west-1",
      "us-gov-east-1",
      'must be false in partition "aws-us-gov" (primaryRegion "us-gov-west-1"): CloudFront is not part of the AWS GovCloud (US) partition (it is set up from a standard account)',
    ],
    [
      "cn-north-1",
      "cn-northwest-1",
      'must be false in partition "aws-cn" (primaryRegion "cn-north-1"): CloudFront in the China regions cannot serve on its default domain, needs an ICP recordal and an IAM (not ACM) certificate',
    ],
  ])("refuses a cdn with primaryRegion %s", (primaryRegion, replicaRegion, rule) => {
    expect(onlyProblemOf({ primaryRegion, replicaRegion })).toEqual({ field: "cdn.enabled", value: undefined, rule });
  });

  it("accepts those partitions with the cdn turned off", () => {
    expect(
      parseSettings({ primaryRegion: "us-gov-west-1", replicaRegion: "us-gov-east-1", cdn: { enabled: false } }).cdn
        .enabled,
    ).toBe(false);
  });

  it("refuses a certificate of another partition", () => {
    const arn = CERTIFICATE.replace("arn:aws:", "arn:aws-us-gov:");
    expect(onlyProblemOf({ cdn: { domainNames: ["www.example.com"], certificateArn: arn } })).toEqual({
      field: "cdn.certificateArn",
      value: arn,
      rule: 'must be a certificate of partition "aws", the partition of primaryRegion "us-east-1"',
    });
  });

  it("reports cdn problems with every other problem in one pass", () => {
    const fields = problemsOf({
      kmsDeletionWindowDays: 3,
      cloudfrontDistributionArn: DISTRIBUTION,
      cdn: { priceClass: "cheap" },
    }).map((p) => p.field);
    expect(fields.sort()).toEqual(["cdn.priceClass", "cloudfrontDistributionArn", "kmsDeletionWindowDays"]);
  });
});
