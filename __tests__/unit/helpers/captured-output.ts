/**
 * What a command writes to stdout and stderr, captured for the tests of one describe block
 * (installs its own beforeEach and afterEach): call it at the top of the block.
 */
export function captureOutput(): { stdout: () => string; stderr: () => string } {
  let out: jest.SpyInstance;
  let err: jest.SpyInstance;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    out.mockRestore();
    err.mockRestore();
  });
  const text = (spy: jest.SpyInstance) => spy.mock.calls.map((call) => String(call[0])).join("");
  return { stdout: () => text(out), stderr: () => text(err) };
}
