// How this project runs its TypeScript for synthesis: cdktf.json's `app` and every synthesis the
// project starts (the `npm run` commands run from bundles: run-ts.cjs). tsx compiles the
// TypeScript sources on the fly (from its cache), and nothing else:
// - tsx also hooks Node's `.js` loader, to lex every JavaScript module for ESM syntax it could
//   compile to CommonJS. Every dependency here ships CommonJS (cdktf, the provider bindings, the
//   AWS SDK, zod's `require` export), so Node's own loader goes back in place: a synth spent about
//   a quarter of its time in that lexing (0.83 s against 1.14 s, medians of 5, same sitting).
// - Node's source-map support, which tsx turns on, goes back off. Every module of cdktf and of
//   the provider bindings embeds an inline source map, and with support on Node parses each of
//   them and maps every stack trace taken during synthesis: about 100 ms of a 0.46 s synth
//   (median of 9: 459 ms with, 353 ms without). Stack traces then point at the transpiled
//   lines, which esbuild keeps close to the sources.
const Module = require("node:module");
const nodeJsLoader = Module._extensions[".js"];
require("tsx/cjs");
Module._extensions[".js"] = nodeJsLoader;
process.setSourceMapsEnabled(false);
