import {
  MISSING_STATEMENT,
  UNDECLARED_STATEMENT,
  comparePolicies,
  describeStatement,
  normalizePolicy,
  policyRows,
} from "../../src/ops/verify/policies";

const declared = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "AllowS3",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:Encrypt", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    },
  ],
};

describe("policy normalisation", () => {
  it("treats a string and a one-element list, list order, duplicates and statement order as equal", () => {
    const live = {
      Statement: [
        {
          Sid: "AllowS3",
          Effect: "Allow",
          Principal: { Service: ["s3.amazonaws.com"] },
          Action: ["kms:Decrypt", "kms:Encrypt", "kms:Decrypt"],
          Resource: ["*"],
          Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] } },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:*"],
          Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
          Condition: { Bool: { "aws:SecureTransport": false } },
        },
      ],
      Version: "2012-10-17",
    };
    const lines = comparePolicies(normalizePolicy(JSON.stringify(declared)), normalizePolicy(JSON.stringify(live)));
    expect(lines.map((l) => [l.sid, l.pass])).toEqual([
      ["AllowS3", true],
      ["DenyInsecureTransport", true],
    ]);
  });

  it("reads URL-encoded documents, as IAM returns them", () => {
    const encoded = encodeURIComponent(JSON.stringify(declared));
    expect(normalizePolicy(encoded)).toEqual(normalizePolicy(declared));
  });

  it("fails a statement whose action list differs, and shows both sides", () => {
    const live = structuredClone(declared);
    (live.Statement[1] as { Action: string[] }).Action = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"];
    const [allow] = comparePolicies(normalizePolicy(declared), normalizePolicy(live));
    expect(allow).toMatchObject({ sid: "AllowS3", pass: false });
    expect(allow.expected).toContain("kms:Decrypt,kms:Encrypt on *");
    expect(allow.found).toContain("kms:Decrypt,kms:Encrypt,kms:ReEncrypt* on *");
  });

  it("fails a statement whose condition differs", () => {
    const live = structuredClone(declared);
    (live.Statement[0].Condition as Record<string, unknown>) = { Bool: { "aws:SecureTransport": "true" } };
    const lines = comparePolicies(normalizePolicy(declared), normalizePolicy(live));
    expect(lines.find((l) => l.sid === "DenyInsecureTransport")?.pass).toBe(false);
  });

  it("fails a missing statement and an undeclared one", () => {
    const live = {
      Version: "2012-10-17",
      Statement: [
        declared.Statement[0],
        { Sid: "Extra", Effect: "Allow", Action: "s3:GetObject", Principal: "*", Resource: "*" },
      ],
    };
    const lines = comparePolicies(normalizePolicy(declared), normalizePolicy(live));
    expect(lines).toContainEqual(expect.objectContaining({ sid: "AllowS3", found: MISSING_STATEMENT, pass: false }));
    expect(lines).toContainEqual(
      expect.objectContaining({ sid: "Extra", expected: UNDECLARED_STATEMENT, pass: false }),
    );
  });

  it("fails a different policy language version", () => {
    const lines = comparePolicies(normalizePolicy(declared), normalizePolicy({ ...declared, Version: "2008-10-17" }));
    expect(lines).toContainEqual(expect.objectContaining({ sid: "(document)", pass: false }));
  });

  it("pairs statements without a Sid by content", () => {
    const noSid = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    expect(comparePolicies(normalizePolicy(noSid), normalizePolicy(noSid))).toEqual([
      expect.objectContaining({ pass: true }),
    ]);
    const other = { Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] };
    expect(comparePolicies(normalizePolicy(noSid), normalizePolicy(other)).every((l) => !l.pass)).toBe(true);
  });

  it("describes a statement in one line", () => {
    expect(describeStatement(normalizePolicy(declared).Statement[1])).toBe(
      "Deny AWS:* s3:* on [arn:aws:s3:::b, arn:aws:s3:::b/*] if Bool aws:SecureTransport=false",
    );
  });

  it("turns a missing live policy into failing rows, one per declared statement", () => {
    const rows = policyRows(
      "bucket policy",
      "b",
      normalizePolicy(declared),
      { ok: false, code: "NoSuchBucketPolicy", error: "(error: NoSuchBucketPolicy)" },
      ["NoSuchBucketPolicy"],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => !r.pass && r.found === "(no policy)")).toBe(true);
  });
});
