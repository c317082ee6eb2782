// How every `npm run` command runs its TypeScript: `node ./run-ts.cjs <entry.ts> [args]` runs the
// entry from one bundle of the project's sources made by esbuild (the dependencies stay
// `require`d from node_modules), kept in node_modules/.cache/run-ts and made again whenever a
// source it holds, tsconfig.json, esbuild or this file changes (compared by content).
//
// Why a bundle and not tsx's on-the-fly compile (register-ts.cjs, which cdktf's `app` still uses):
// a command loads about a hundred source files, and tsx resolves, reads and checks its cache for
// each, after loading itself and esbuild. From one bundle, `npm run publish` reached its first
// AWS call in 250 ms against 305 ms (medians of 12, from process start), and the re-run of
// `npm run bench -- --publish` took 1.38 s against 1.47 s (medians of 5, same sitting).
//
// Each source keeps its own `__filename` and `__dirname` (the rule pack names rules after their
// files; the project folder is found from synth.ts's). Stack traces name the bundle's lines, each
// module headed by a comment naming its source; `NODE_OPTIONS=--enable-source-maps` makes them
// name the sources, through the bundle's source map. It is not on by default: Node then parses
// every source map of the modules it loads, cdktf's inline ones too, and `npm run check` took
// about 1.0 s against 0.68 s (7 runs each, alternating).
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join, resolve } = require("node:path");

// Inside the project's node_modules: the bundles `require` the packages from where they lie.
const CACHE_DIR = join(__dirname, "node_modules", ".cache", "run-ts");
const ESBUILD_PACKAGE = require.resolve("esbuild/package.json");
/** Files outside the bundle's sources whose change makes it stale. */
const ALSO_STALE_WITH = [__filename, join(__dirname, "tsconfig.json"), ESBUILD_PACKAGE];

/** The SHA-256 of a file's content, or undefined when it cannot be read. */
function contentHash(file) {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

/** True when the bundle is there and every input recorded beside it still has the content it was built from. */
function isFresh(bundle, inputsFile) {
  if (!existsSync(bundle)) return false;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  } catch {
    return false;
  }
  return Object.entries(inputs).every(([file, hash]) => contentHash(file) === hash);
}

/**
 * Gives each TypeScript source its own `__filename` and `__dirname`, on its first line, and
 * records in `hashes` the hash of the content it read: a source edited during the build leaves
 * the bundle stale, not recorded as fresh.
 */
function ownFileNames(hashes) {
  return {
    name: "own-file-names",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path);
        hashes.set(args.path, createHash("sha256").update(source).digest("hex"));
        const text = source.toString("utf8");
        if (!/\b__(file|dir)name\b/.test(text)) return { contents: text, loader: "ts" };
        const names = `const __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))}; `;
        return { contents: names + text, loader: "ts" };
      });
    },
  };
}

/** Bundles `entry` into `bundle`, then records its inputs' hashes in `inputsFile`. */
async function build(entry, bundle, inputsFile) {
  const esbuild = require("esbuild");
  const hashes = new Map();
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "silent",
    plugins: [ownFileNames(hashes)],
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under temporary names and renamed: two commands building at once each leave a whole file.
  const temporary = `.${process.pid}`;
  for (const file of result.outputFiles) {
    writeFileSync(file.path + temporary, file.contents);
    renameSync(file.path + temporary, file.path);
  }
  const sources = Object.keys(result.metafile.inputs).map((input) => resolve(input));
  const inputs = Object.fromEntries(
    [...sources, ...ALSO_STALE_WITH].map((file) => [file, hashes.get(file) ?? contentHash(file)]),
  );
  writeFileSync(inputsFile + temporary, JSON.stringify(inputs));
  renameSync(inputsFile + temporary, inputsFile);
  await esbuild.stop();
}

/** Runs the bundle as `node <entry>` would run the entry: `require.main` is its module, its arguments follow. */
function runBundle(bundle) {
  process.argv.splice(1, 2, bundle);
  Module.runMain(bundle);
}

/** The build failed: esbuild's messages, each with its file and line. */
function buildFailed(entry, error) {
  const errors = error.errors ?? [];
  const where = (e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : "");
  const text = errors.length > 0 ? errors.map((e) => `${where(e)}${e.text}`).join("\n") : String(error.stack ?? error);
  process.stderr.write(`run-ts: cannot build ${entry}:\n${text}\n`);
  process.exit(2);
}

const entry = process.argv[2];
if (entry === undefined || !entry.endsWith(".ts")) {
  process.stderr.write("usage: node run-ts.cjs <entry.ts> [args...]\n");
  process.exit(2);
}
const name = createHash("sha256").update(resolve(entry)).digest("hex").slice(0, 16);
const bundle = join(CACHE_DIR, `${name}.js`);
const inputsFile = join(CACHE_DIR, `${name}.inputs.json`);
// A fresh bundle runs at once; a stale one is made first (the entry's own errors then surface
// from setImmediate, uncaught, as they would from `node <entry>`).
if (isFresh(bundle, inputsFile)) runBundle(bundle);
else
  build(resolve(entry), bundle, inputsFile).then(
    () => setImmediate(runBundle, bundle),
    (error) => buildFailed(entry, error),
  );
