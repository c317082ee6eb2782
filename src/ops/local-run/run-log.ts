/**
 * The local run's step log: each step printed as it starts and ends, timed and recorded, with
 * what the run found along the way. Some steps run side by side (the emulator starts while the
 * stack synthesizes; verify reads while Terraform re-plans): each is recorded with the steps it
 * ran beside, and {@link bothSettled} waits for both.
 */
import { indent } from "../../common/text";
import type { GuardResult } from "../plan/guard";
import type { ReplanVerdict } from "../plan/replan";
import type { VerifyRow } from "../verify/row";
import { ResourceTiming, StepTiming, seconds } from "./run-report";
import type { EmptiedBucket } from "./session";

/** A step failed: the run stops going forward and tears down. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly reason: unknown,
  ) {
    super(`${step}: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Waits for both, then throws the first failure: a step that fails does not leave the one beside
 * it running behind the run's back (the emulator is stopped only after both have ended).
 */
export async function bothSettled<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
  return [a.value, b.value];
}

/** Prints and times the steps of one run, and keeps what they found. */
export class RunLog {
  readonly steps: StepTiming[] = [];
  readonly checks: VerifyRow[] = [];
  readonly started = Date.now();
  outputs: Record<string, string> = {};
  guard?: GuardResult;
  replan?: ReplanVerdict;
  applyTimings: ResourceTiming[] = [];
  emptied: EmptiedBucket[] = [];
  /** What the emulator cannot show, as the verifier names it. */
  notShown: string[] = [];
  /** Set once apply starts: from then on the emulator holds resources. */
  applying = false;
  private begun = 0;

  constructor(readonly totalSteps: number) {}

  print(text: string): void {
    process.stdout.write(text);
  }

  /** The next step's number, as `[ n/total]`. */
  nextNumber(): string {
    return `[${String(++this.begun).padStart(2)}/${this.totalSteps}]`;
  }

  /**
   * Runs one step: prints it, times it, records it; a throw becomes StepFailed. `alongside`
   * names the steps it runs beside, if any (see {@link bothSettled}).
   */
  async step<T>(
    name: string,
    what: string,
    run: () => Promise<T>,
    detail?: (value: T) => string,
    alongside?: string,
  ): Promise<T> {
    this.print(`${this.nextNumber()} ${name}: ${what}\n`);
    const t0 = Date.now();
    try {
      const value = await run();
      const note = detail?.(value);
      this.steps.push({ name, ms: Date.now() - t0, at: t0 - this.started, ok: true, detail: note, alongside });
      this.print(`        ${name} ok in ${seconds(Date.now() - t0)}${note ? ` (${note})` : ""}\n`);
      return value;
    } catch (error) {
      this.steps.push({ name, ms: Date.now() - t0, at: t0 - this.started, ok: false, detail: "failed", alongside });
      this.print(
        `        ${name} FAILED after ${seconds(Date.now() - t0)}\n${indent((error as Error).message ?? String(error))}\n`,
      );
      throw error instanceof StepFailed ? error : new StepFailed(name, error);
    }
  }
}
