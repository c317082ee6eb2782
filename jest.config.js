// Two suites, separately runnable: `npm run test:unit` (no network, no Terraform) and
// `npm run test:e2e` (the local emulator and real Terraform). `npm test` runs both.
// ts-jest only transpiles (tsconfig isolatedModules): `npm run build` is the type check, so each test
// file does not pay for a full type-check of the provider bindings.
const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };
const common = {
  testEnvironment: "node",
  transform,
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: "<rootDir>/__tests__/temp-folder-setup.js",
  globalTeardown: "<rootDir>/__tests__/temp-folder-teardown.js",
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/__tests__/unit/**/*.test.ts"] },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/__tests__/e2e/**/*.test.ts"] },
  ],
};
