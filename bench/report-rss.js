// Preloaded into a measured child process (NODE_OPTIONS=--require): at exit, writes the
// process's peak resident set size in bytes to the file named by BENCH_RSS_FILE.
// Portable: no GNU time needed.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) {
    writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
  }
});
