import {
  bucketArn,
  bucketNameOf,
  distributionArn,
  kmsAliasArn,
  kmsKeyArn,
  objectsArn,
  parseArn,
  regionOfArn,
  roleArn,
} from "../../src/common/arn";

describe("the ARN module", () => {
  it("builds each ARN the way AWS spells it, in the partition given", () => {
    expect(bucketArn("aws-cn", "b")).toBe("arn:aws-cn:s3:::b");
    expect(objectsArn("aws", "b")).toBe("arn:aws:s3:::b/*");
    expect(roleArn("aws", "111122223333", "r")).toBe("arn:aws:iam::111122223333:role/r");
    expect(roleArn("aws", "111122223333", "r", "/svc/")).toBe("arn:aws:iam::111122223333:role/svc/r");
    expect(kmsKeyArn("aws", "us-west-2", "111122223333", "k")).toBe("arn:aws:kms:us-west-2:111122223333:key/k");
    expect(kmsAliasArn("aws", "us-east-1", "111122223333", "alias/a")).toBe(
      "arn:aws:kms:us-east-1:111122223333:alias/a",
    );
    expect(distributionArn("aws", "111122223333", "E1")).toBe("arn:aws:cloudfront::111122223333:distribution/E1");
  });

  it("parses what it builds, Terraform interpolations included, and nothing that is not an ARN", () => {
    expect(
      parseArn("arn:${data.aws_partition.p.partition}:s3:::site-${data.aws_caller_identity.c.account_id}"),
    ).toEqual({
      partition: "${data.aws_partition.p.partition}",
      service: "s3",
      region: "",
      account: "",
      resource: "site-${data.aws_caller_identity.c.account_id}",
    });
    expect(parseArn("arn:aws:kms:us-east-1:1:key/a:b")?.resource).toBe("key/a:b");
    expect(parseArn("alias/x")).toBeUndefined();
    expect(parseArn("arn:aws::us-east-1:1:x")).toBeUndefined();
  });

  it("names the bucket of an S3 ARN only, and the region of a regional ARN only", () => {
    expect(bucketNameOf("arn:aws:s3:::b/*")).toBe("b");
    expect(bucketNameOf("arn:aws:kms:us-east-1:1:key/k")).toBeUndefined();
    expect(regionOfArn("arn:aws:kms:eu-west-1:1:key/k")).toBe("eu-west-1");
    expect(regionOfArn("arn:aws:s3:::b")).toBeUndefined();
  });
});
