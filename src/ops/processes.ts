/**
 * Last-resort cleanup of child processes on every way out of the runner: a normal exit, an
 * uncaught exception, Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP). The runner's own
 * `finally` blocks stop things in order; this registry catches what they cannot reach (a signal
 * arrives while `await`ing terraform, an exception escapes).
 *
 * Handlers are installed while something is registered and removed after, so a process that
 * imports the runner (jest) keeps its own signal behaviour the rest of the time.
 */

/** A synchronous kill: it must work inside the `exit` event, where nothing async runs. */
export type KillNow = () => void;

const registry = new Set<KillNow>();

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

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\n${signal} received: stopping the emulator and Terraform, then exiting.\n`);
  killAll();
  uninstall();
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
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
    if (registry.size === 0) uninstall();
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
