/**
 * The local AWS emulator: a `moto_server` child process on a free loopback port. Started, waited
 * for, and stopped on every path out (see ../processes.ts); `--keep` hands it over to the user instead.
 *
 * Clients are pointed at it only through the environment (`emulatorEnv`): the synthesized
 * Terraform JSON is the one a real deployment uses.
 */
import { ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { ClientRequest, get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { createServer } from "node:net";
import { indent } from "../../common/text";
import { isRunning, killGroup, killOnExit } from "../processes";

/** The loopback address: the emulator is never reachable from another machine. */
const EMULATOR_HOST = "127.0.0.1";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** The moto server launcher (see tools.ts). */
  readonly motoServer: string;
  /** The emulator's stdout and stderr go here (a file: the emulator may outlive the runner). */
  readonly logFile: string;
  /**
   * Port to try first; when it is busy another free one is picked.
   * @default a free port chosen by the system
   */
  readonly preferredPort?: number;
  /**
   * How long to wait for `GET /moto-api/` to answer before giving up.
   * @default 20000 (it answers in about a second)
   */
  readonly readyTimeoutMs?: number;
}

/**
 * The server's environment settings: unbuffered logs, and ACM issuing a DNS-validated certificate
 * at once. moto otherwise waits `MOTO_ACM_VALIDATION_WAIT` seconds (60 by default, read when the
 * server starts) before a requested certificate reads ISSUED, and the custom-domain stack's
 * `aws_acm_certificate_validation` waits for that (emulator difference `acm-validation-wait`).
 */
export const EMULATOR_SETTINGS: Readonly<Record<string, string>> = {
  PYTHONUNBUFFERED: "1",
  MOTO_ACM_VALIDATION_WAIT: "0",
};

/** Ports tried when the server exits at start because its port was taken between the check and the bind. */
const PORTS_TRIED = 3;

/** The emulator did not come up; it has been stopped, nothing is left running. */
export class EmulatorStartError extends Error {
  constructor(reason: string, logTail: string) {
    const log = logTail.trim() === "" ? "" : `\nLast lines of its log:\n${indent(logTail.trim())}`;
    super(`The AWS emulator (moto_server) did not start: ${reason}. It was stopped; nothing is left running.${log}`);
    this.name = "EmulatorStartError";
  }
}

/** A running emulator. */
export interface Emulator {
  /** The server's process id (the launcher's; the server runs in its process group). */
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly logFile: string;
  /** Empties every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
  /** Leaves the server running after the runner exits (`--keep`): no cleanup will touch it. */
  detach(): void;
}

/**
 * The variables that point Terraform's AWS provider, the AWS SDK v3 and the AWS CLI at the
 * emulator: its endpoint for every service, throwaway credentials (moto accepts any), path-style
 * S3 addressing (bucket names are not DNS names on 127.0.0.1). `region` is the CLI's default.
 */
export function emulatorEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_S3_USE_PATH_STYLE: "true",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}

/** Variables that would send a child to a real account or confuse the test credentials. */
export const AMBIENT_AWS_VARIABLES = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
];

/** Whether `port` can be bound on the loopback address right now. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, EMULATOR_HOST, () => server.close(() => resolve(true)));
  });
}

/** A port the system reports free on the loopback address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, EMULATOR_HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** `preferred` when it is free, else any free port. */
async function pickPort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (await isPortFree(preferred))) return preferred;
  return freePort();
}

/**
 * Whether moto answers its management API at `endpoint`: 200, with no second of silence. With
 * node:http, which the SDK's handler has loaded already: `fetch` would load undici, about 18 ms
 * of the start of every `npm run publish` (measured in a CPU profile).
 */
export function isAnswering(endpoint: string): Promise<boolean> {
  const get = endpoint.startsWith("https:") ? httpsGet : httpGet;
  return new Promise((resolve) => {
    let request: ClientRequest;
    try {
      // The limit is the socket's idle timeout: a second without a byte ends the check.
      request = get(`${endpoint}/moto-api/`, { agent: false, timeout: 1000 }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode === 200));
        response.on("error", () => resolve(false));
      });
    } catch {
      resolve(false); // not a URL
      return;
    }
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
    request.on("close", () => resolve(false)); // after "end" when it answered: no effect then
  });
}

function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `child` to exit, up to `ms`; true when it has. */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM the group, then SIGKILL whatever is left after a grace period. */
async function terminate(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  killGroup(pid, "SIGTERM");
  if (!(await exited(child, 3000))) {
    killGroup(pid, "SIGKILL");
    await exited(child, 2000);
  }
}

/** One start on one port: running, or the reason it is not (and whether another port may help). */
type StartResult = { ok: true; emulator: Emulator } | { ok: false; reason: string; retry: boolean };

async function startOnPort(options: EmulatorOptions, port: number): Promise<StartResult> {
  const endpoint = `http://${EMULATOR_HOST}:${port}`;
  // A file, not a pipe: with --keep the server outlives us and must not write into a closed pipe.
  const log = openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    // detached: its own process group, so stop() reaches the Python server behind the launcher
    // script, and --keep can leave it running after we exit.
    child = spawn(options.motoServer, ["-H", EMULATOR_HOST, "-p", String(port)], {
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, ...EMULATOR_SETTINGS },
    });
  } finally {
    closeSync(log);
  }
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const pid = child.pid;
  if (pid === undefined) {
    const error = await spawnError;
    return { ok: false, reason: `could not run ${options.motoServer}: ${error.message}`, retry: false };
  }
  const forget = killOnExit(() => killGroup(pid, "SIGKILL"));
  const stop = async () => {
    await terminate(child);
    forget();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      forget();
      const tail = logTail(options.logFile);
      const busy = /address already in use|errno 98/i.test(tail);
      return {
        ok: false,
        reason: busy ? `port ${port} was taken` : `it exited with ${child.exitCode ?? child.signalCode}`,
        retry: busy,
      };
    }
    if (await isAnswering(endpoint)) {
      let stopped = false;
      return {
        ok: true,
        emulator: {
          pid,
          port,
          endpoint,
          logFile: options.logFile,
          async reset() {
            const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
            if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
          },
          async stop() {
            if (stopped) return;
            stopped = true;
            await stop();
          },
          detach() {
            stopped = true;
            forget();
            child.unref();
          },
        },
      };
    }
    await sleep(150);
  }
  await stop();
  const state = isRunning(pid) ? " and could not be killed" : "";
  return {
    ok: false,
    reason: `it did not answer ${endpoint}/moto-api/ within ${options.readyTimeoutMs ?? 20_000} ms${state}`,
    retry: false,
  };
}

/**
 * Starts moto on `preferredPort` or, when that is busy, another free loopback port, and waits
 * until it answers. On failure nothing is left running and EmulatorStartError says why, with
 * the end of the server's log.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  let reason = "no port tried";
  for (let i = 0; i < PORTS_TRIED; i++) {
    const port = await pickPort(i === 0 ? options.preferredPort : undefined);
    const result = await startOnPort(options, port);
    if (result.ok) return result.emulator;
    reason = result.reason;
    if (!result.retry) break;
  }
  throw new EmulatorStartError(reason, logTail(options.logFile));
}

/**
 * Whether the environment points the AWS clients at the moto emulator: `AWS_ENDPOINT_URL` is
 * set and answers moto's management API. Anything else (no endpoint, AWS, another emulator) is
 * treated as AWS, where no emulator difference is excused.
 */
export async function pointsAtEmulator(env: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  const endpoint = env.AWS_ENDPOINT_URL;
  return endpoint !== undefined && endpoint !== "" && isAnswering(endpoint.replace(/\/+$/, ""));
}
