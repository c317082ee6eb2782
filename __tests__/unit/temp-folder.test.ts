// The test run's own temporary folder (__tests__/temp-folder.js): every worker makes its
// temporary files under it, so the teardown that removes it leaves nothing behind in /tmp.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

describe("the test run's temporary folder", () => {
  it("is where this worker makes its temporary files", () => {
    const folder = process.env.SITE_STORAGE_TEST_TMPDIR as string;
    expect(folder).toMatch(/site-storage-tests-/);
    expect(tmpdir()).toBe(folder);
    const made = mkdtempSync(join(tmpdir(), "probe-"));
    expect(dirname(made)).toBe(folder);
    expect(existsSync(made)).toBe(true);
  });
});
