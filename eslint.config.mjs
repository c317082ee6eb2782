import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importMap from "./lint/import-map.cjs";

// Deep imports only: the package root loads every resource (seconds, ~1 GB).
const providerRoot = { name: "@cdktf/provider-aws", message: "Import from @cdktf/provider-aws/lib/<resource>." };

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "dist/", "coverage/", ".local-run/", ".plan/", ".emulator/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { site: { rules: { "import-map": importMap.importMapRule } } },
    rules: {
      "no-restricted-imports": ["error", { paths: [providerRoot] }],
      "site/import-map": "error",
      // Constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
        setImmediate: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
