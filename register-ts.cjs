// How the app is run for synthesis (cdktf.json's `app`, and every synthesis this project starts):
// tsx compiles the TypeScript sources on the fly, then Node's source-map support, which tsx turns
// on, goes back off. Every module of cdktf and of the provider bindings embeds an inline source
// map, and with support on Node parses each of them and maps every stack trace taken during
// synthesis: about 100 ms of a 0.46 s synth (median of 9: 459 ms with, 353 ms without). Stack
// traces then point at the transpiled lines, which esbuild keeps close to the sources.
require("tsx/cjs");
process.setSourceMapsEnabled(false);
