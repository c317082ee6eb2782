import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Deep imports only: the package root loads every resource (seconds, ~1 GB).
const providerRoot = { name: "@cdktf/provider-aws", message: "Import from @cdktf/provider-aws/lib/<resource>." };

/**
 * Who may import whom (ARCHITECTURE.md): each folder lists the folders of src/ it must not
 * reach. Patterns match the import path, so `**\/ops/**` catches `../ops/x` and `../../ops/x`.
 */
function boundary(files, forbidden, why) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [providerRoot],
          patterns: forbidden.map((folder) => ({ group: [`**/${folder}/**`, `**/${folder}`], message: why })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "dist/", "coverage/", ".local-run/", ".plan/", ".emulator/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-imports": ["error", { paths: [providerRoot] }],
      // Constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
  boundary(
    ["src/common/**"],
    ["config", "rules", "infra", "ops", "cli"],
    "src/common is a leaf: it imports nothing of ours.",
  ),
  boundary(["src/config/**"], ["rules", "infra", "ops", "cli"], "src/config imports nothing of ours but src/common."),
  boundary(["src/rules/**"], ["config", "infra", "ops", "cli"], "src/rules imports nothing of ours but src/common."),
  boundary(["src/infra/**"], ["ops", "cli"], "src/infra imports src/config, src/rules and src/common only."),
  boundary(
    ["src/ops/**"],
    ["infra", "rules", "cli"],
    "src/ops never imports src/infra or src/rules: it synthesizes in a child process.",
  ),
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
