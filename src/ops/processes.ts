/**
 * Last-resort cleanup on every way out of a command: a normal exit, an uncaught exception,
 * Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP). The command's own `finally` blocks
 * clean up in order; these registries catch what they cannot reach (a signal arrives while
 * `await`ing terraform or an AWS call, an exception escapes).
 *
 * Two registries: synchronous kills (children, lock files), which also run in the `exit` event,
 * and asynchronous interrupt clean-ups (AWS calls that undo what a command changed), which run
 * on a signal before the kills and before the process exits with 128 + the signal's number. A
 * second signal during the clean-up exits at once.
 *
 * Handlers are installed while something is registered and removed after, so a process that
 * imports these (jest) keeps its own signal behaviour the rest of the time.
 */

/** A synchronous kill: it must work inside the `exit` event, where nothing async runs. */
export type KillNow = () => void;

const registry = new Set<KillNow>();

/** An asynchronous clean-up run on SIGINT, SIGTERM or SIGHUP before the process exits. */
export type CleanUpOnInterrupt = () => Promise<void>;

const cleanUps = new Set<CleanUpOnInterrupt>();

/**
 * The longest the interrupt clean-ups may take before the process exits anyway: each AWS call
 * is bounded by the clients' timeouts (about 18 s), and a user who pressed Ctrl-C waits.
 */
const CLEAN_UP_LIMIT_MS = 45_000;

/** Exit codes of a process ended by a signal: 128 + the signal number, as shells report it. */
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

function killAll(): void {
  for (const kill of [...registry]) {
    try {
      kill();
    } catch {
      // Already gone: nothing to clean.
    }
  }
  registry.clear();
}

/** Runs every interrupt clean-up, the latest registered first, each failure reported, within the limit. */
async function cleanUpAll(): Promise<void> {
  const pending = [...cleanUps].reverse();
  cleanUps.clear();
  const run = async () => {
    for (const cleanUp of pending) {
      try {
        await cleanUp();
      } catch (error) {
        process.stderr.write(`clean-up failed: ${(error as Error)?.message ?? String(error)}\n`);
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`clean-up still running after ${CLEAN_UP_LIMIT_MS / 1000} s: exiting without it\n`);
      resolve();
    }, CLEAN_UP_LIMIT_MS);
  });
  await Promise.race([run(), limit]);
  clearTimeout(timer);
}

let exiting = false;

function onSignal(signal: NodeJS.Signals): void {
  const code = SIGNAL_EXIT_CODES[signal] ?? 1;
  if (exiting) process.exit(code);
  exiting = true;
  process.stderr.write(
    cleanUps.size > 0
      ? `\n${signal} received: undoing what this run changed, then exiting (${signal} again to exit at once).\n`
      : `\n${signal} received: stopping the emulator and Terraform, then exiting.\n`,
  );
  void cleanUpAll().finally(() => {
    killAll();
    uninstall();
    process.exit(code);
  });
}

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", killAll);
  for (const signal of Object.keys(SIGNAL_EXIT_CODES)) process.off(signal, onSignal);
}

/**
 * Registers `kill` to run if the process ends before the returned function is called; call it
 * once the thing is stopped (or handed over on purpose, as `--keep` does with the emulator).
 */
export function killOnExit(kill: KillNow): () => void {
  registry.add(kill);
  install();
  return () => {
    registry.delete(kill);
    if (registry.size === 0 && cleanUps.size === 0) uninstall();
  };
}

/**
 * Registers `cleanUp` to run if SIGINT, SIGTERM or SIGHUP arrives before the returned function
 * is called; call it once the command's own `finally` has undone the change. The process then
 * exits with 128 + the signal's number (130 for Ctrl-C).
 */
export function cleanUpOnInterrupt(cleanUp: CleanUpOnInterrupt): () => void {
  cleanUps.add(cleanUp);
  install();
  return () => {
    cleanUps.delete(cleanUp);
    if (registry.size === 0 && cleanUps.size === 0) uninstall();
  };
}

/**
 * Sends `signal` to a detached child's whole process group (its launcher scripts and the real
 * server), falling back to the child alone. Never throws: a gone process is the goal.
 */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Not running.
    }
  }
}

/** Whether a process with this id is still running (signal 0 probes without killing). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
