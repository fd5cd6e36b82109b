/** Formats seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * One progress line: bar, count, rate and ETA, e.g.
 * `[#########---------] 45/90 questions  3.2/s  ETA 0:14  sirllm dialogue-12`. The rate counts only
 * the work done since `start` (a resumed run's earlier work does not inflate it).
 */
export function progressLine(state: {
  completed: number;
  total: number;
  startCompleted: number;
  elapsedSeconds: number;
  label: string;
  width?: number;
}): string {
  const { completed, total, startCompleted, elapsedSeconds, label, width = 24 } = state;
  const fraction = total === 0 ? 1 : Math.min(1, completed / total);
  const filled = Math.round(fraction * width);
  const done = completed - startCompleted;
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 ? (total - completed) / rate : Number.NaN;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${completed}/${total} questions  ${rate.toFixed(1)}/s  ETA ${formatDuration(eta)}  ${label}`;
}

/** Draws the progress line on a terminal stream (redrawn in place), at most every `interval` ms. */
export class ProgressBar {
  readonly #stream: { write(text: string): unknown; isTTY?: boolean };
  readonly #started = performance.now();
  #startCompleted: number | undefined;
  #lastDraw = 0;
  #lastLine = '';

  readonly #interval: number;

  constructor(stream: { write(text: string): unknown; isTTY?: boolean }, interval = 100) {
    this.#stream = stream;
    this.#interval = interval;
  }

  update(completed: number, total: number, label: string): void {
    this.#startCompleted ??= completed;
    const now = performance.now();
    if (now - this.#lastDraw < this.#interval && completed < total) return;
    this.#lastDraw = now;
    this.#lastLine = progressLine({
      completed,
      total,
      startCompleted: this.#startCompleted,
      elapsedSeconds: (now - this.#started) / 1000,
      label,
    });
    if (this.#stream.isTTY) this.#stream.write(`\r\x1b[2K${this.#lastLine}`);
  }

  /** Ends the line (on a non-terminal stream, prints the last state once). */
  finish(): void {
    if (this.#stream.isTTY) this.#stream.write('\n');
    else if (this.#lastLine) this.#stream.write(`${this.#lastLine}\n`);
  }
}
