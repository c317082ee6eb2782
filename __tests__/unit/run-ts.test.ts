import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";

// run-ts.cjs: how every `npm run` command runs its TypeScript, from a bundle kept in a cache.
const work = mkdtempSync(join(tmpdir(), "run-ts-"));
const cache = join(work, "cache");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `node run-ts.cjs <entry> ...args`, as `npm run` starts it, with the test's own cache. */
function runTs(entry: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(PROJECT_DIR, "run-ts.cjs"), entry, ...args], {
    cwd: work,
    env: { ...process.env, RUN_TS_CACHE: cache },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The cache's files of one entry: named after the SHA-256 of its absolute path. */
const cached = (entry: string, suffix: string) =>
  join(cache, `${createHash("sha256").update(entry).digest("hex").slice(0, 16)}${suffix}`);

describe("run-ts.cjs", () => {
  const app = join(work, "app");
  mkdirSync(join(app, "lib"), { recursive: true });
  writeFileSync(
    join(app, "main.ts"),
    [
      'import { where, greeting } from "./lib/where";',
      "const args: string[] = process.argv.slice(2);",
      "console.log(JSON.stringify({ args, main: require.main === module, file: __filename, lib: where(), greeting }));",
      "",
    ].join("\n"),
  );
  const writeLib = (greeting: string) =>
    writeFileSync(
      join(app, "lib", "where.ts"),
      `export const greeting: string = "${greeting}";\nexport function where(): string {\n  return __dirname;\n}\n`,
    );
  writeLib("hello");

  it("runs the entry as the main module, with its arguments and each source's own file names", () => {
    const run = runTs(join(app, "main.ts"), "one", "--two");
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      args: ["one", "--two"],
      main: true,
      file: join(app, "main.ts"),
      lib: join(app, "lib"),
      greeting: "hello",
    });
  });

  it("reuses the bundle while no source changed, and makes it again when one did", () => {
    runTs(join(app, "main.ts"));
    // The bundle's modification time changes only when it is made again.
    const bundleTime = () => statSync(cached(join(app, "main.ts"), ".js")).mtimeMs;
    const made = bundleTime();
    expect(JSON.parse(runTs(join(app, "main.ts")).stdout).greeting).toBe("hello");
    expect(bundleTime()).toBe(made);
    writeLib("changed"); // an imported file, not the entry
    expect(JSON.parse(runTs(join(app, "main.ts")).stdout).greeting).toBe("changed");
    expect(bundleTime()).toBeGreaterThan(made);
    writeLib("hello");
  });

  it("names a source's file and line in the stack of an error it throws", () => {
    const entry = join(app, "throws.ts");
    writeFileSync(entry, 'import { where } from "./lib/where";\nwhere();\nthrow new Error("thrown on line 3");\n');
    const run = runTs(entry);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("thrown on line 3");
    expect(run.stderr).toContain(`${entry}:3`);
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
    runTs(join(app, "main.ts"));
    const inputs = Object.keys(JSON.parse(readFileSync(cached(join(app, "main.ts"), ".inputs.json"), "utf8")));
    expect(inputs).toEqual(
      expect.arrayContaining([
        join(app, "main.ts"),
        join(app, "lib", "where.ts"),
        join(PROJECT_DIR, "run-ts.cjs"),
        join(PROJECT_DIR, "tsconfig.json"),
        join(PROJECT_DIR, "node_modules", "esbuild", "package.json"),
      ]),
    );
  });
});
