/**
 * The one way this project runs a command to its end: spawn it, capture what it prints, await
 * its exit. Terraform, synthesis, the saved-plan reader and the tests all use it; only the
 * emulator, a server that outlives the call, spawns on its own.
 */
import { spawn } from "node:child_process";
import { killGroup, killOnExit } from "./processes";

/** Options of {@link runProcess}. */
export interface ProcessOptions {
  /**
   * The working directory.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * The complete environment of the command (nothing else is inherited).
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Runs it in its own process group, killed with this process (a Ctrl-C, an uncaught
   * exception): for commands that change things, so none keeps running against an emulator
   * that is going away.
   * @default false
   */
  readonly ownGroup?: boolean;
  /**
   * Stops it with SIGTERM after this many milliseconds; the result then says `timedOut`.
   * @default no limit
   */
  readonly timeoutMs?: number;
}

/** How a command ended and what it printed. */
export interface ProcessResult {
  /** Its exit code; null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly ms: number;
  /** Whether `timeoutMs` ran out and the command was stopped. */
  readonly timedOut: boolean;
}

/**
 * Runs `command` with `args` (no shell) and resolves when it has exited and its output is
 * closed, whatever the exit code; rejects only when it cannot be started (not found, not
 * executable).
 */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const started = Date.now();
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.ownGroup === true,
  });
  const stop = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    if (options.ownGroup === true) killGroup(child.pid, signal);
    else child.kill(signal);
  };
  const forget = options.ownGroup === true ? killOnExit(() => stop("SIGTERM")) : () => undefined;
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop("SIGTERM");
        }, options.timeoutMs);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve([code, signal]));
    });
    return {
      exitCode,
      signal,
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8"),
      ms: Date.now() - started,
      timedOut,
    };
  } finally {
    clearTimeout(timer);
    forget();
  }
}
