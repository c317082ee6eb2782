import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "dist/", "coverage/", ".local-run/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Deep imports only: the package root loads every resource (seconds, ~1 GB).
      "no-restricted-imports": ["error", { paths: [{ name: "@cdktf/provider-aws", message: "Import from @cdktf/provider-aws/lib/<resource>." }] }],
      // Constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
  { files: ["**/*.js"], languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" } }, rules: { "@typescript-eslint/no-require-imports": "off" } },
);
