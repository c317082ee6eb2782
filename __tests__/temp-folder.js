// One temporary folder per test run, removed when the run ends: every temporary file the run makes
// goes under it (os.tmpdir() reads TMPDIR; jest starts its workers after the global setup, with
// its environment). cdktf's Testing makes an output folder under os.tmpdir() for every app a test
// synthesizes and never removes it: about 250 folders per unit run, left in /tmp for good.
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const VARIABLE = "SITE_STORAGE_TEST_TMPDIR";

module.exports = {
  setup() {
    const folder = mkdtempSync(join(tmpdir(), "site-storage-tests-"));
    process.env[VARIABLE] = folder;
    process.env.TMPDIR = folder;
  },
  teardown() {
    const folder = process.env[VARIABLE];
    if (folder) rmSync(folder, { recursive: true, force: true });
  },
};
