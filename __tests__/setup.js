// Every cdktf token records the stack that created it (`captureStackTrace` in
// cdktf/lib/tokens/private/intrinsic.js and complex-computed-list.js: a plain `{ stack }` object,
// not an Error, read at once), and jest formats each such stack through source-map-support,
// which maps every frame through the inline source maps of cdktf and of the transpiled files: 40%
// of the CPU of a test file that synthesizes the stack, and 70 ms per file for the one token
// cdktf makes as it loads. Those stacks only ever appear in cdktf's own messages about
// unresolved tokens, so they keep V8's unmapped frames; an Error's stack (a failed assertion, a
// thrown error) is still mapped to the TypeScript line. Installed before cdktf loads.
const mapped = Error.prepareStackTrace;
if (typeof mapped === "function") {
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error ? mapped(error, frames) : [String(error), ...frames.map((f) => `    at ${f}`)].join("\n");
}

// cdktf's Testing matchers (toHaveResourceWithProperties, toBeValidTerraform, ...), loaded on first
// use: half the test files never synthesize, and loading cdktf costs each of them 0.1 s. Each
// matcher hands over to the one `Testing.setupJest()` registers (cdktf/lib/testing/adapters/jest.js).
const CDKTF_MATCHERS = [
  "toHaveResource",
  "toHaveResourceWithProperties",
  "toHaveDataSource",
  "toHaveDataSourceWithProperties",
  "toHaveProvider",
  "toHaveProviderWithProperties",
  "toBeValidTerraform",
  "toPlanSuccessfully",
];
let cdktfMatchers;
function loadCdktfMatchers() {
  if (cdktfMatchers === undefined) {
    const { expect } = globalThis;
    const extend = expect.extend;
    expect.extend = (matchers) => (cdktfMatchers = matchers);
    try {
      require("cdktf").Testing.setupJest();
    } finally {
      expect.extend = extend;
    }
    const registered = Object.keys(cdktfMatchers ?? {}).sort();
    if (registered.join() !== [...CDKTF_MATCHERS].sort().join())
      throw new Error(
        `cdktf's jest matchers are now ${registered.join(", ")}: update CDKTF_MATCHERS in __tests__/setup.js`,
      );
  }
  return cdktfMatchers;
}
globalThis.expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (...args) {
        return loadCdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
// The AWS SDK's notice about its future Node.js support is not about the code under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
