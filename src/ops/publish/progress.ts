/**
 * What a publish shows while it works: on a terminal, one progress bar redrawn in place; in a
 * log (CI, a pipe), one plain line per object, so the log says what happened to each file.
 */

/** Where progress goes: a stream, and whether it is a terminal. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Progress of one wave (uploads of assets, of HTML pages, deletes). */
export class Progress {
  private readonly out: ProgressOutput;
  private label = "";
  private total = 0;
  private done = 0;
  private bytes = 0;

  constructor(out: ProgressOutput) {
    this.out = out;
  }

  /** A new wave of `total` items. */
  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.bytes = 0;
    if (this.out.isTTY) this.draw();
    else this.out.write(`${label}: ${total}\n`);
  }

  /** One item finished: `line` says which and how (`uploaded a.html (1.2 kB)`). */
  step(line: string, bytes = 0): void {
    this.done += 1;
    this.bytes += bytes;
    if (this.out.isTTY) this.draw();
    else this.out.write(`  ${line}\n`);
  }

  /** Ends the wave (on a terminal: the bar's line is finished). */
  end(): void {
    if (this.out.isTTY) this.out.write("\n");
  }

  private draw(): void {
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - 50));
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    this.out.write(`\r${this.label.padEnd(16)} [${bar}] ${this.done}/${this.total} ${formatBytes(this.bytes)}`);
  }
}

/** Bytes for people: `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
