import { UnresolvedReferenceError } from "../../src/ops/terraform/errors";
import {
  StateIndex,
  StateResource,
  parseReference,
  resolveReferences,
  resolveTemplate,
} from "../../src/ops/terraform/references";

const index = new StateIndex([
  {
    address: "data.aws_caller_identity.caller_1",
    mode: "data",
    type: "aws_caller_identity",
    name: "caller_1",
    values: { account_id: "123456789012" },
  },
  {
    address: "data.aws_partition.partition_1",
    mode: "data",
    type: "aws_partition",
    name: "partition_1",
    values: { partition: "aws" },
  },
  {
    address: "aws_kms_key.primary-key_A1",
    mode: "managed",
    type: "aws_kms_key",
    name: "primary-key_A1",
    values: { arn: "arn:aws:kms:us-east-1:123456789012:key/k1", key_id: "k1", deletion_window_in_days: 30, tags: null },
  },
  {
    address: "aws_s3_bucket_lifecycle_configuration.lc",
    mode: "managed",
    type: "aws_s3_bucket_lifecycle_configuration",
    name: "lc",
    values: { rule: [{ id: "first" }, { id: "second" }] },
  },
] as StateResource[]);

describe("the reference resolver", () => {
  it("replaces data-source and resource references inside a string", () => {
    expect(
      resolveTemplate(
        "arn:${data.aws_partition.partition_1.partition}:iam::${data.aws_caller_identity.caller_1.account_id}:root",
        index,
      ),
    ).toBe("arn:aws:iam::123456789012:root");
  });

  it("resolves references with hyphenated cdktf names", () => {
    expect(resolveTemplate("${aws_kms_key.primary-key_A1.arn}", index)).toBe(
      "arn:aws:kms:us-east-1:123456789012:key/k1",
    );
  });

  it("keeps the type of a value that is the whole string, as Terraform does", () => {
    expect(resolveTemplate("${aws_kms_key.primary-key_A1.deletion_window_in_days}", index)).toBe(30);
  });

  it("follows list indexes in attribute paths", () => {
    expect(resolveTemplate("${aws_s3_bucket_lifecycle_configuration.lc.rule[1].id}", index)).toBe("second");
  });

  it("turns the escapes $${ and %%{ into literal text", () => {
    expect(resolveTemplate("arn:aws:s3:::b/$${aws:username}/*", index)).toBe("arn:aws:s3:::b/${aws:username}/*");
    expect(resolveTemplate("100%%{x}", index)).toBe("100%{x}");
  });

  it("resolves every string of a nested value, including JSON policy text", () => {
    const policy = JSON.stringify({ Statement: [{ Resource: "${aws_kms_key.primary-key_A1.arn}" }] });
    const resolved = resolveReferences(
      { policy, rule: [{ keys: ["${aws_kms_key.primary-key_A1.key_id}"] }] },
      index,
    ) as Record<string, unknown>;
    expect(JSON.parse(resolved.policy as string).Statement[0].Resource).toBe(
      "arn:aws:kms:us-east-1:123456789012:key/k1",
    );
    expect(resolved.rule).toEqual([{ keys: ["k1"] }]);
  });

  it("fails naming the reference and its place when the resource is not part of the deployment that was found", () => {
    const attempt = () =>
      resolveReferences({ policy: "x ${aws_kms_key.replica-key_B2.arn} y" }, index, "resource.aws_kms_key.k");
    expect(attempt).toThrow(UnresolvedReferenceError);
    expect(attempt).toThrow(
      "cannot resolve ${aws_kms_key.replica-key_B2.arn} in resource.aws_kms_key.k.policy: aws_kms_key.replica-key_B2 is not part of the deployment that was found",
    );
  });

  it("fails when the attribute is empty in the state", () => {
    expect(() => resolveTemplate("${aws_kms_key.primary-key_A1.tags}", index)).toThrow('has no value at "tags"');
    expect(() => resolveTemplate("${aws_kms_key.primary-key_A1.nope}", index)).toThrow('has no value at "nope"');
  });

  it("refuses a list or object interpolated into a string", () => {
    expect(() => resolveTemplate("x ${aws_s3_bucket_lifecycle_configuration.lc.rule} y", index)).toThrow(
      "is a list or object, which cannot be interpolated into a string",
    );
  });

  it("refuses expressions it cannot evaluate instead of guessing", () => {
    expect(() => resolveTemplate("${jsonencode(var.x)}", index)).toThrow(
      "only resource and data-source attribute references",
    );
    expect(() => resolveTemplate('a ${upper("x")} b', index)).toThrow(UnresolvedReferenceError);
    expect(() => resolveTemplate("a ${aws_kms_key.primary-key_A1.arn", index)).toThrow(
      "is not a closed, simple reference",
    );
    expect(() => resolveTemplate("%{ if true }x%{ endif }", index)).toThrow("template directives");
  });

  it("parses a reference into mode, type, name and path", () => {
    expect(parseReference("data.aws_caller_identity.c.account_id")).toEqual({
      mode: "data",
      type: "aws_caller_identity",
      name: "c",
      path: ["account_id"],
    });
    expect(parseReference("var.region")).toBeUndefined();
  });
});
