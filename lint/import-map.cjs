// The import map and the eslint rule that enforces it (`site/import-map` in eslint.config.mjs).
// CommonJS, so the unit suite can load it: __tests__/unit/import-map.test.ts.
"use strict";
const { dirname, join, relative } = require("node:path");

const PROJECT_DIR = dirname(__dirname);

/**
 * THE import map: who may import whom, among our own files (the README's Layout section
 * shows it, as ARCHITECTURE.md should). A home is a folder with everything under it, except the two
 * marked `filesOnly`, which hold just the files directly in them. Every home may import itself;
 * `typesFrom` homes may be imported with `import type` only: the emulator's knowledge reaches
 * plan and verify as data from the caller, so they may name its type but never read its values.
 * src/cli, the tests and bench may import anything.
 */
const IMPORT_MAP = {
  "main.ts": { mayImport: ["src/config", "src/infra", "src/rules"] },
  "src/common": { mayImport: [] },
  "src/config": { mayImport: ["src/common"] },
  "src/rules": { mayImport: ["src/common"] },
  "src/infra/policies": { mayImport: ["src/config", "src/common"] },
  "src/infra/constructs": { mayImport: ["src/infra/policies", "src/config", "src/common"] },
  "src/infra/stacks": {
    mayImport: ["src/infra/constructs", "src/infra/policies", "src/config", "src/common", "src/rules"],
  },
  "src/infra": { filesOnly: true, mayImport: ["src/infra/stacks", "src/config", "src/common", "src/rules"] },
  "src/ops": { filesOnly: true, mayImport: ["src/config", "src/common"] },
  "src/ops/terraform": { mayImport: ["src/ops", "src/config", "src/common"] },
  "src/ops/emulator": { mayImport: ["src/ops/terraform", "src/ops", "src/config", "src/common"] },
  "src/ops/plan": {
    mayImport: ["src/ops/terraform", "src/ops", "src/config", "src/common"],
    typesFrom: ["src/ops/emulator"],
  },
  "src/ops/deployment": {
    mayImport: ["src/ops/terraform", "src/ops", "src/config", "src/common"],
    typesFrom: ["src/ops/emulator"],
  },
  "src/ops/verify": {
    mayImport: ["src/ops/deployment", "src/ops/terraform", "src/ops", "src/config", "src/common"],
    typesFrom: ["src/ops/emulator"],
  },
  "src/ops/probe": {
    mayImport: ["src/ops/deployment", "src/ops/verify", "src/ops", "src/config", "src/common"],
    typesFrom: ["src/ops/emulator"],
  },
  "src/ops/pipeline": { mayImport: ["src/ops/plan", "src/ops/terraform", "src/ops", "src/config", "src/common"] },
  "src/ops/local-run": {
    mayImport: [
      "src/ops/probe",
      "src/ops/verify",
      "src/ops/plan",
      "src/ops/emulator",
      "src/ops/terraform",
      "src/ops",
      "src/config",
      "src/common",
    ],
  },
  "src/ops/publish": {
    mayImport: ["src/ops/deployment", "src/ops/emulator", "src/ops/terraform", "src/ops", "src/config", "src/common"],
  },
  "src/cli": { mayImport: "anything" },
};

/**
 * The one file of verify that reads the emulator's values: `npm run verify`'s entry into the
 * verifier, which asks whether the endpoint is the emulator and picks the list of differences
 * to pass in (EMULATOR_DIFFERENCES there, none on AWS). Everything below it takes the list as data.
 */
const CHOOSES_EMULATOR_TOLERANCES = new Set(["src/ops/verify/configured-deployment.ts"]);

/** The home of a project-relative path without extension, "" outside src/ and main.ts, undefined if unmapped. */
function homeOf(path) {
  if (path === "main" || path === "main.ts") return "main.ts";
  if (!path.startsWith("src/")) return "";
  const homes = Object.keys(IMPORT_MAP).sort((a, b) => b.length - a.length);
  return homes.find((home) => (IMPORT_MAP[home].filesOnly ? dirname(path) === home : path.startsWith(`${home}/`)));
}

/** A home as people read it: `src/ops/*.ts` for the files directly in src/ops. */
const label = (home) => (IMPORT_MAP[home]?.filesOnly ? `${home}/*.ts` : home);

/** Whether an import or export names types only (`import type`, or every specifier `type`). */
function typeOnly(node) {
  if (node.importKind === "type" || node.exportKind === "type") return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === "type" || s.exportKind === "type");
}

const importMapRule = {
  meta: {
    type: "problem",
    docs: { description: "Enforces the import map of lint/import-map.cjs (who may import whom)." },
    schema: [],
  },
  create(context) {
    const file = relative(PROJECT_DIR, context.filename).split("\\").join("/");
    const from = homeOf(file);
    if (from === "") return {};
    if (from === undefined) {
      return {
        Program(node) {
          context.report({
            node,
            message: `${dirname(file)} is not in the import map: add it to lint/import-map.cjs.`,
          });
        },
      };
    }
    const { mayImport, typesFrom = [] } = IMPORT_MAP[from];
    if (mayImport === "anything") return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const to = homeOf(
        relative(PROJECT_DIR, join(PROJECT_DIR, dirname(file), source))
          .split("\\")
          .join("/"),
      );
      if (to === "" || to === from || mayImport.includes(to)) return;
      if (typesFrom.includes(to) && (typeOnly(node) || CHOOSES_EMULATOR_TOLERANCES.has(file))) return;
      const allowed =
        [...mayImport.map(label), ...typesFrom.map((home) => `types of ${label(home)}`)].join(", ") ||
        "nothing of ours";
      context.report({
        node: node.source,
        message: `${label(from)} may not import ${to === undefined ? source : label(to)} (it may import ${allowed}; see the import map in lint/import-map.cjs).`,
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

module.exports = { IMPORT_MAP, importMapRule };
