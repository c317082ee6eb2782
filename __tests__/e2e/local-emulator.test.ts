// The emulator's lifecycle on its own (no Terraform): a busy port, a server that never answers,
// and every way out of a process that started one (normal exit, exception, SIGINT, SIGTERM).
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isRunning } from "../../src/ops/processes";
import { Emulator, EmulatorStartError, isAnswering, startEmulator } from "../../src/ops/emulator/emulator";
import { findMotoServer } from "../../src/ops/tools";

let motoServer: string | undefined;
let missing: string | undefined;
try {
  motoServer = findMotoServer();
} catch (error) {
  missing = (error as Error).message;
}

/** In CI a missing emulator fails the suite; on a workstation the suite is skipped, loudly. */
function describeWithMoto(name: string, body: () => void): void {
  if (missing === undefined) return describe(name, body);
  if (process.env.CI) {
    return describe(name, () =>
      it("needs moto_server", () => {
        throw new Error(`The end-to-end suite needs moto_server: ${missing}`);
      }),
    );
  }
  process.stderr.write(`SKIPPED ${name}: ${missing}\n`);
  describe.skip(name, body);
}

const work = mkdtempSync(join(tmpdir(), "emulator-e2e-"));
const projectDir = resolve(__dirname, "..", "..");

/** Waits until `pid` is gone, up to `ms`. */
async function gone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isRunning(pid);
}

describeWithMoto("the local emulator", () => {
  jest.setTimeout(60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("starts on a free port, answers, resets, and stops leaving nothing running", async () => {
    const emulator = await startEmulator({ motoServer: motoServer as string, logFile: join(work, "a.log") });
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(await isAnswering(emulator.endpoint)).toBe(true);
    await emulator.reset();
    await emulator.stop();
    expect(await gone(emulator.pid)).toBe(true);
    expect(await isAnswering(emulator.endpoint)).toBe(false);
  });

  it("picks another port when the preferred one is busy", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const busy = (blocker.address() as { port: number }).port;
    let emulator: Emulator | undefined;
    try {
      emulator = await startEmulator({
        motoServer: motoServer as string,
        logFile: join(work, "b.log"),
        preferredPort: busy,
      });
      expect(emulator.port).not.toBe(busy);
      expect(await isAnswering(emulator.endpoint)).toBe(true);
    } finally {
      await emulator?.stop();
      blocker.close();
    }
  });

  it("gives a clear error and leaves nothing running when the server never answers", async () => {
    // A stand-in that starts and never listens: the readiness wait must give up and kill it.
    const fake = join(work, "silent-moto");
    writeFileSync(
      fake,
      `#!/bin/sh\necho "pretending to start" \necho $$ > ${join(work, "silent.pid")}\nexec sleep 600\n`,
    );
    chmodSync(fake, 0o755);
    const started = Date.now();
    const error = await startEmulator({ motoServer: fake, logFile: join(work, "c.log"), readyTimeoutMs: 1500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmulatorStartError);
    expect((error as Error).message).toMatch(
      /did not start: it did not answer http:\/\/127\.0\.0\.1:\d+\/moto-api\/ within 1500 ms\. It was stopped; nothing is left running\./,
    );
    expect((error as Error).message).toMatch(/pretending to start/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = Number(readFileSync(join(work, "silent.pid"), "utf8"));
    expect(await gone(pid)).toBe(true);
  });

  it("says so when the server exits at once", async () => {
    const fake = join(work, "failing-moto");
    writeFileSync(fake, "#!/bin/sh\necho 'ImportError: no module named werkzeug' >&2\nexit 3\n");
    chmodSync(fake, 0o755);
    await expect(startEmulator({ motoServer: fake, logFile: join(work, "d.log") })).rejects.toThrow(
      /did not start: it exited with 3\.[\s\S]*ImportError: no module named werkzeug/,
    );
  });

  /**
   * Starts a node process that starts the emulator, prints its pid and endpoint, then `ending`:
   * the emulator must be gone once that process is.
   */
  async function emulatorAfter(ending: string, signal?: NodeJS.Signals): Promise<{ pid: number; endpoint: string }> {
    const script = `
      const { startEmulator } = require("./src/ops/emulator/emulator");
      startEmulator({ motoServer: ${JSON.stringify(motoServer)}, logFile: ${JSON.stringify(join(work, "child.log"))} })
        .then((e) => { process.stdout.write(JSON.stringify({ pid: e.pid, endpoint: e.endpoint }) + "\\n"); ${ending} });`;
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      cwd: projectDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await new Promise<string>((resolveLine, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolveLine(out.split("\n")[0]);
      });
      child.once("exit", (code) => reject(new Error(`child exited (${code}) before starting the emulator`)));
    });
    const info = JSON.parse(line) as { pid: number; endpoint: string };
    if (signal !== undefined) child.kill(signal);
    await new Promise((r) => child.once("exit", r));
    return info;
  }

  it.each([
    ["a normal exit", "process.exit(0);", undefined],
    ["an uncaught exception", "setTimeout(() => { throw new Error('boom'); }, 10);", undefined],
    ["Ctrl-C (SIGINT)", "setInterval(() => {}, 1000);", "SIGINT"],
    ["SIGTERM", "setInterval(() => {}, 1000);", "SIGTERM"],
  ] as [string, string, NodeJS.Signals | undefined][])(
    "is stopped on %s of the process that started it",
    async (_, ending, signal) => {
      const { pid, endpoint } = await emulatorAfter(ending, signal);
      expect(await gone(pid)).toBe(true);
      expect(await isAnswering(endpoint)).toBe(false);
    },
  );
});
