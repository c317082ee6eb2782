import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";

// run-ts.cjs: how every `npm run` command runs its TypeScript, from a bundle kept in the
// project's node_modules/.cache/run-ts. The entries here lie in a folder of the test's own; their
// bundles are named after their paths, and removed at the end.
const work = mkdtempSync(join(tmpdir(), "run-ts-"));
const entries: string[] = [];

/** The cache's file of one entry: named after the SHA-256 of its absolute path. */
const cached = (entry: string, suffix: ".js" | ".js.map" | ".inputs.json") =>
  join(
    PROJECT_DIR,
    "node_modules",
    ".cache",
    "run-ts",
    `${createHash("sha256").update(entry).digest("hex").slice(0, 16)}${suffix}`,
  );

afterAll(() => {
  for (const entry of entries)
    for (const suffix of [".js", ".js.map", ".inputs.json"] as const) rmSync(cached(entry, suffix), { force: true });
  rmSync(work, { recursive: true, force: true });
});

/** `node run-ts.cjs <entry> ...args`, as `npm run` starts it. */
function runTs(entry: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  entries.push(entry);
  const result = spawnSync(process.execPath, [join(PROJECT_DIR, "run-ts.cjs"), entry, ...args], {
    cwd: work,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("run-ts.cjs", () => {
  const app = join(work, "app");
  const main = join(app, "main.ts");
  mkdirSync(join(app, "lib"), { recursive: true });
  writeFileSync(
    main,
    [
      'import picomatch from "picomatch";',
      'import { where, greeting } from "./lib/where";',
      "const args: string[] = process.argv.slice(2);",
      'const matches = picomatch("*.ts")("main.ts");',
      "console.log(JSON.stringify({ args, main: require.main === module, file: __filename, lib: where(), greeting, matches }));",
      "",
    ].join("\n"),
  );
  const writeLib = (greeting: string) =>
    writeFileSync(
      join(app, "lib", "where.ts"),
      `export const greeting: string = "${greeting}";\nexport function where(): string {\n  return __dirname;\n}\n`,
    );
  writeLib("hello");

  it("runs the entry as the main module, with its arguments, the project's packages and each source's own file names", () => {
    const run = runTs(main, ["one", "--two"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      args: ["one", "--two"],
      main: true,
      file: main,
      lib: join(app, "lib"),
      greeting: "hello",
      matches: true,
    });
  });

  it("reuses the bundle while no source changed, and makes it again when one did", () => {
    runTs(main);
    // The bundle's modification time changes only when it is made again.
    const bundleTime = () => statSync(cached(main, ".js")).mtimeMs;
    const made = bundleTime();
    expect(JSON.parse(runTs(main).stdout).greeting).toBe("hello");
    expect(bundleTime()).toBe(made);
    writeLib("changed"); // an imported file, not the entry
    expect(JSON.parse(runTs(main).stdout).greeting).toBe("changed");
    expect(bundleTime()).toBeGreaterThan(made);
    writeLib("hello");
    expect(JSON.parse(runTs(main).stdout).greeting).toBe("hello");
    rmSync(cached(main, ".js")); // the bundle gone, its inputs list still matching: made again
    expect(JSON.parse(runTs(main).stdout).greeting).toBe("hello");
  });

  it("names the source's file and line in an error's stack with NODE_OPTIONS=--enable-source-maps", () => {
    const entry = join(app, "throws.ts");
    writeFileSync(entry, 'import { where } from "./lib/where";\nwhere();\nthrow new Error("thrown on line 3");\n');
    const plain = runTs(entry);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("thrown on line 3");
    expect(plain.stderr).toContain(cached(entry, ".js")); // the bundle's line, without the flag
    const mapped = runTs(entry, [], { NODE_OPTIONS: "--enable-source-maps" });
    expect(mapped.code).toBe(1);
    expect(mapped.stderr).toContain(`${entry}:3`);
  });

  it("refuses a source that does not compile with its file and line, exit 2, running nothing", () => {
    const entry = join(app, "broken.ts");
    writeFileSync(entry, 'console.log("ran");\nexport const = 1;\n');
    const run = runTs(entry);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain(`cannot build ${entry}`);
    expect(run.stderr).toMatch(/broken\.ts:2:\d+: Expected identifier/);
  });

  it("refuses to run without an entry", () => {
    const run = runTs("main.js");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: node run-ts.cjs <entry.ts>");
  });

  it("records in the inputs list what makes the bundle stale, besides the sources", () => {
    runTs(main);
    const inputs = Object.keys(JSON.parse(readFileSync(cached(main, ".inputs.json"), "utf8")));
    expect(inputs).toEqual(
      expect.arrayContaining([
        main,
        join(app, "lib", "where.ts"),
        join(PROJECT_DIR, "run-ts.cjs"),
        join(PROJECT_DIR, "tsconfig.json"),
        join(PROJECT_DIR, "node_modules", "esbuild", "package.json"),
      ]),
    );
    expect(inputs.some((input) => input.includes("picomatch"))).toBe(false); // packages stay outside
  });
});
