import fc from "fast-check";
import {
  PolicyParseError,
  canonicalText,
  normalizePolicy,
  readPolicy,
  samePolicy,
  wildcardMatches,
} from "../../src/common/policy";

/** A non-empty list of distinct words, as IAM lists of actions, resources or principals. */
const words = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9:*/-]{0,12}$/), { minLength: 1, maxLength: 4 });

/** A statement with lists everywhere a list may stand. */
const statement = fc.record({
  Sid: fc.stringMatching(/^[A-Za-z0-9]{0,8}$/),
  Effect: fc.constantFrom("Allow", "Deny"),
  Principal: fc.record({ Service: words, AWS: words }),
  Action: words,
  Resource: words,
  Condition: fc.record({
    StringEquals: fc.record({ "aws:SourceAccount": words }),
    Bool: fc.record({ "aws:SecureTransport": fc.constant(["false"]) }),
  }),
});
const document = fc.record({
  Version: fc.constant("2012-10-17"),
  Statement: fc.array(statement, { minLength: 1, maxLength: 4 }),
});

type Raw = fc.Arbitrary<unknown>;

/** Writes a list the way a person or a tool might: a lone string, or the list in another order with a duplicate. */
function rewrite(list: string[], seed: number): unknown {
  if (list.length === 1 && seed % 2 === 0) return list[0];
  const shuffled = [...list].reverse();
  return seed % 3 === 0 ? [...shuffled, shuffled[0]] : shuffled;
}

/** The same document written differently: lists as strings or reordered, statements reordered, one statement unwrapped. */
function rewritten(doc: { Statement: Record<string, unknown>[] }, seed: number): unknown {
  const statements = doc.Statement.map((s, i) => {
    const principal = s.Principal as Record<string, string[]>;
    const condition = s.Condition as Record<string, Record<string, string[]>>;
    return {
      Condition: {
        Bool: { "aws:SecureTransport": seed % 2 === 0 ? false : "false" },
        StringEquals: { "aws:SourceAccount": rewrite(condition.StringEquals["aws:SourceAccount"], seed + i) },
      },
      Resource: rewrite(s.Resource as string[], seed + i + 1),
      Action: rewrite(s.Action as string[], seed + i + 2),
      Principal: { AWS: rewrite(principal.AWS, seed + i), Service: rewrite(principal.Service, seed + i + 1) },
      Effect: s.Effect,
      Sid: s.Sid,
    };
  });
  const reordered = [...statements].reverse();
  return { Version: "2012-10-17", Statement: reordered.length === 1 && seed % 2 === 0 ? reordered[0] : reordered };
}

describe("the one IAM policy model", () => {
  it("normalizes documents equal by meaning to the same value (strings vs lists, ordering, one statement vs a list)", () => {
    fc.assert(
      fc.property(document as Raw, fc.nat(), (doc, seed) => {
        const original = doc as { Statement: Record<string, unknown>[] };
        expect(canonicalText(normalizePolicy(rewritten(original, seed)))).toBe(
          canonicalText(normalizePolicy(original)),
        );
      }),
    );
  });

  it("reads JSON text and IAM's URL-encoded JSON text as the same document", () => {
    fc.assert(
      fc.property(document as Raw, (doc) => {
        const text = JSON.stringify(doc);
        expect(samePolicy(text, encodeURIComponent(text))).toBe(true);
        expect(samePolicy(text, doc)).toBe(true);
      }),
    );
  });

  it("tells documents apart when any action, resource or condition value differs", () => {
    fc.assert(
      fc.property(document as Raw, fc.stringMatching(/^[a-z]{3,8}:[A-Z][a-z]{2,8}$/), (doc, extra) => {
        const original = doc as { Statement: Record<string, unknown>[] };
        const [first, ...rest] = original.Statement;
        const widened = {
          ...original,
          Statement: [{ ...first, Action: [...(first.Action as string[]), extra] }, ...rest],
        };
        fc.pre(!(first.Action as string[]).includes(extra));
        expect(samePolicy(original, widened)).toBe(false);
      }),
    );
  });

  it('treats the principal "*" as { "AWS": "*" }, in either form', () => {
    const star = { Statement: { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" } };
    const object = { Statement: [{ Effect: "Deny", Principal: { AWS: ["*"] }, Action: ["s3:*"], Resource: ["*"] }] };
    expect(samePolicy(star, object)).toBe(true);
    expect(normalizePolicy(star).Statement[0].Principal).toEqual({ AWS: ["*"] });
  });

  it("keeps members the grammar does not name, so they still count in a comparison", () => {
    const plain = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const odd = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Extra: 1 }] };
    expect(samePolicy(plain, odd)).toBe(false);
  });

  it("refuses what is not a policy document, saying why", () => {
    expect(() => normalizePolicy("{not json")).toThrow(PolicyParseError);
    expect(() => normalizePolicy("[1]")).toThrow("the policy is not a JSON object");
    expect(() => normalizePolicy({ Statement: [{ Effect: "Allow", Condition: "x" }] })).toThrow(
      "Condition must be an object",
    );
  });

  it("reads a synthesized policy with Terraform interpolations, and says why an expression cannot be read", () => {
    const read = readPolicy(
      '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:${data.aws_partition.p.partition}:iam::1:root"},"Action":"kms:*","Resource":"*"}]}',
    );
    expect(read).toEqual({
      readable: true,
      policy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "A",
            Effect: "Allow",
            Principal: { AWS: ["arn:${data.aws_partition.p.partition}:iam::1:root"] },
            Action: ["kms:*"],
            Resource: ["*"],
          },
        ],
      },
    });
    expect(readPolicy("${data.aws_iam_policy_document.x.json}")).toEqual({
      readable: false,
      why: expect.stringContaining("not a JSON literal at synth"),
    });
    expect(readPolicy('{"Version":"2012-10-17"}')).toEqual({ readable: false, why: "the policy has no Statement" });
    expect(readPolicy(undefined)).toEqual({ readable: false, why: "no policy is set" });
  });

  it("matches IAM wildcards case-insensitively, with * and ? only", () => {
    expect(wildcardMatches("s3:Get*", "s3:getobject")).toBe(true);
    expect(wildcardMatches("s3:Get?bject", "s3:GetObject")).toBe(true);
    expect(wildcardMatches("s3:Get.bject", "s3:GetObject")).toBe(false);
    expect(wildcardMatches("kms:*", "s3:GetObject")).toBe(false);
  });
});
