import { aroundFirstDifference, textTable, wrap } from "../../src/common/text";
import { failedRows, reportWidth, rowsTable } from "../../src/cli/report-table";
import { VerifyRow } from "../../src/ops/verify/row";

const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

/** A condition that differs only near its end, after a long shared prefix. */
const LONG_EXPECTED = `Deny s3:* on arn:aws:s3:::portfolio-site-primary-123456789012/* when ${"aws:SecureTransport=false, ".repeat(3)}s3:TlsVersion=1.2`;
const LONG_FOUND = LONG_EXPECTED.replace("s3:TlsVersion=1.2", "s3:TlsVersion=1.0");

const rows: VerifyRow[] = [
  {
    resource: "aws_s3_bucket.primary (portfolio-site-primary-123456789012)",
    path: "statement.DenyOutdatedTls.Condition",
    expected: LONG_EXPECTED,
    found: LONG_FOUND,
    status: "fail",
  },
  {
    resource: "aws_kms_key.primary",
    path: "enable_key_rotation",
    expected: "true",
    found: "true",
    status: "pass",
  },
];

describe("the verify report on a terminal", () => {
  it("is 120 columns wide at most when stdout is not a terminal", () => {
    expect(reportWidth({ isTTY: false, columns: 300 })).toBe(120);
    expect(widest(rowsTable(rows, reportWidth({})))).toBeLessThanOrEqual(120);
  });

  it("takes the terminal's width when stdout is one", () => {
    expect(reportWidth({ isTTY: true, columns: 90 })).toBe(90);
    expect(widest(rowsTable(rows, 90))).toBeLessThanOrEqual(90);
  });

  it("shows a failing row's values around their first difference, not two equal prefixes", () => {
    const line = rowsTable(rows, 120).split("\n")[2];
    expect(line).toMatch(/TlsVersion=1\.2\s.*TlsVersion=1\.0\s+FAIL$/);
  });

  it("lists each failing row with its resource, path and both values, within the width", () => {
    const text = failedRows(rows, 100);
    expect(text).toContain(
      "  - aws_s3_bucket.primary (portfolio-site-primary-123456789012) statement.DenyOutdatedTls.Condition",
    );
    expect(text).toMatch(/expected: ….*s3:TlsVersion=1\.2\n/);
    expect(text).toMatch(/found: {4}….*s3:TlsVersion=1\.0$/);
    expect(text).not.toContain("enable_key_rotation");
    expect(widest(text)).toBeLessThanOrEqual(100);
  });
});

describe("cutting two values around their first difference", () => {
  it("returns values that fit whole", () => {
    expect(aroundFirstDifference("Enabled", "Suspended", 20)).toEqual(["Enabled", "Suspended"]);
  });

  it("ends both at their end when the difference is near it, filling the width with what precedes", () => {
    const [a, b] = aroundFirstDifference(`${"x".repeat(100)}A tail`, `${"x".repeat(100)}B tail`, 20);
    expect(a).toBe(`…${"x".repeat(13)}A tail`);
    expect(b).toBe(`…${"x".repeat(13)}B tail`);
  });

  it("cuts the end too when the rest is long, and marks both cuts", () => {
    const [a] = aroundFirstDifference(`${"x".repeat(50)}A${"y".repeat(50)}`, `${"x".repeat(50)}B${"y".repeat(50)}`, 20);
    expect(a).toHaveLength(20);
    expect(a).toMatch(/^…x{5}Ay+…$/);
  });
});

describe("a table within a width", () => {
  it("narrows the widest columns first, never below their header", () => {
    const table = textTable(["name", "value"], [["short", "v".repeat(200)]], { width: 40 });
    expect(widest(table)).toBeLessThanOrEqual(40);
    expect(table.split("\n")[2]).toMatch(/^short {2}v+…$/);
  });
});

describe("wrapping a line to a width", () => {
  it("breaks at spaces, indents the lines after the first, and keeps a longer word whole", () => {
    expect(wrap("  - replication of an object: moto never copies it", 20, "    ")).toBe(
      ["  - replication of", "    an object: moto", "    never copies it"].join("\n"),
    );
    expect(wrap(`a ${"x".repeat(30)} b`, 10)).toBe(`a\n${"x".repeat(30)}\nb`);
  });
});
