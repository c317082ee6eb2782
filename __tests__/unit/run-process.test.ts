import { runProcess } from "../../src/ops/run-process";

const node = (script: string) => [process.execPath, ["-e", script]] as const;

describe("runProcess", () => {
  it("captures stdout and stderr apart, with the exit code", async () => {
    const result = await runProcess(
      ...node("process.stdout.write('out'); process.stderr.write('err'); process.exit(3)"),
    );
    expect(result).toEqual(
      expect.objectContaining({ exitCode: 3, signal: null, stdout: "out", stderr: "err", timedOut: false }),
    );
  });

  it("runs in the given folder with exactly the given environment", async () => {
    const result = await runProcess(...node("process.stdout.write(process.cwd() + ' ' + process.env.ONLY)"), {
      cwd: "/",
      env: { ONLY: "this" },
    });
    expect(result.stdout).toBe("/ this");
  });

  it("stops a command that outlives its time limit and says so", async () => {
    const result = await runProcess(...node("setInterval(() => {}, 1000)"), { timeoutMs: 200, ownGroup: true });
    expect(result).toEqual(expect.objectContaining({ exitCode: null, signal: "SIGTERM", timedOut: true }));
  });

  it("rejects when the command cannot be started", async () => {
    await expect(runProcess("/nonexistent/command", [])).rejects.toThrow(/ENOENT/);
  });
});
