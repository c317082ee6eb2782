/**
 * One run at a time against one emulator endpoint, for whatever reads or lifts the primary
 * bucket's policy. On the emulator the policy is lifted for object calls (moto enforces the
 * TLS-only deny without its condition, see `object-writes.ts`): a second run reading the policy
 * then would report it missing, would "restore" the absence, or would write while the first puts
 * the policy back and be refused, leaving an object behind to block a destroy. So verify's reads
 * and every lift (verify's probe, a publish) hold this lock; a verify against the emulator takes
 * about a second, so another run waits about that long. Against AWS nothing is lifted and each
 * probe has its own key, so no lock is taken.
 *
 * The lock is a file in the system's temporary folder, created exclusively (`wx`), holding the
 * owner's pid. It is removed by the owner on every way out (its `finally`, the `exit` event,
 * a signal). One left by a killed process (SIGKILL) is taken over once its pid is gone.
 */
import { createHash, randomBytes } from "node:crypto";
import { openSync, readFileSync, statSync, unlinkSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRunning, killOnExit } from "../processes";

/** How long a run waits for another to finish before it gives up. */
const WAIT_LIMIT_MS = 60_000;
const POLL_MS = 200;
const PROGRESS_EVERY_MS = 5_000;

/** Another run held the endpoint's lock too long: nothing was read or changed. */
export class RunLockBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunLockBusyError";
  }
}

/** The lock file of an endpoint. */
export function runLockPath(endpoint: string): string {
  const id = createHash("sha256").update(endpoint).digest("hex").slice(0, 16);
  return join(tmpdir(), `site-storage-emulator-${id}.lock`);
}

interface Owner {
  readonly pid: number;
  readonly token: string;
}

function readOwner(path: string): { owner?: Owner; inode: number } | undefined {
  try {
    const inode = statSync(path).ino;
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Owner>;
    const owner = typeof parsed.pid === "number" && typeof parsed.token === "string" ? (parsed as Owner) : undefined;
    return { owner, inode };
  } catch {
    return undefined;
  }
}

/** Creates the lock file, or returns false when it exists. */
function tryCreate(path: string, owner: Owner): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock whose owner is gone. The inode check keeps the window in which a fresh lock of
 * another waiter could be removed down to the time between a stat and an unlink.
 */
function removeIfStale(path: string): void {
  const found = readOwner(path);
  // A file with no owner yet is being written: give its creator the moment it needs.
  if (found?.owner === undefined || isRunning(found.owner.pid)) return;
  try {
    if (statSync(path).ino === found.inode) unlinkSync(path);
  } catch {
    // Gone already.
  }
}

/**
 * Takes the lock of `endpoint`, waiting for another run to finish (telling `progress` who
 * holds it); resolves with the function that releases it. Throws RunLockBusyError when
 * another run holds it longer than a minute.
 */
export async function takeRunLock(endpoint: string, progress: (line: string) => void): Promise<() => void> {
  const path = runLockPath(endpoint);
  const owner: Owner = { pid: process.pid, token: randomBytes(8).toString("hex") };
  const started = Date.now();
  let told = started;
  while (!tryCreate(path, owner)) {
    removeIfStale(path);
    const waited = Date.now() - started;
    const holder = readOwner(path)?.owner?.pid;
    if (waited >= WAIT_LIMIT_MS) {
      throw new RunLockBusyError(
        `another npm run verify or publish (pid ${holder ?? "unknown"}) has held ${endpoint} for over ${WAIT_LIMIT_MS / 1000} s: ` +
          `wait for it to finish, or, if no such process runs, delete ${path}`,
      );
    }
    if (Date.now() - told >= PROGRESS_EVERY_MS) {
      progress(`waiting for another npm run verify or publish (pid ${holder ?? "unknown"}) on ${endpoint} to finish`);
      told = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const release = () => {
    if (readOwner(path)?.owner?.token === owner.token) unlinkSync(path);
  };
  const unregister = killOnExit(release);
  return () => {
    unregister();
    release();
  };
}
