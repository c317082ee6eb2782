import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../../src/ops/terraform/synth";

const work = mkdtempSync(join(tmpdir(), "interrupt-cleanup-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A process that registers an asynchronous clean-up (it takes 300 ms, then writes a file) and a
 * synchronous kill, says "ready" and waits; the test sends it `signal`.
 */
function interruptedChild(signal: NodeJS.Signals): Promise<{ code: number | null; log: string }> {
  const log = join(work, `${signal}.log`);
  const script = `
    const { appendFileSync } = require("node:fs");
    const { cleanUpOnInterrupt, killOnExit } = require("./src/ops/processes");
    killOnExit(() => appendFileSync(${JSON.stringify(log)}, "killed\\n"));
    cleanUpOnInterrupt(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      appendFileSync(${JSON.stringify(log)}, "cleaned up\\n");
    });
    process.stdout.write("ready\\n");
    setInterval(() => undefined, 1000);
  `;
  const child = spawn(process.execPath, ["--require", "./register-ts.cjs", "-e", script], {
    cwd: PROJECT_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) child.kill(signal);
    });
    child.once("exit", (code) => resolve({ code, log: readFileSync(log, "utf8") }));
  });
}

describe("clean-up on an interrupt", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "finishes the asynchronous clean-up, then the kills, then exits on %s with %i",
    async (signal, code) => {
      const result = await interruptedChild(signal);
      expect(result.code).toBe(code);
      expect(result.log).toBe("cleaned up\nkilled\n");
    },
    20_000,
  );
});
