/** A policy's running tally in the live view. */
export interface PolicyTally {
  readonly label: string;
  episodes: number;
  recalled: number;
  commonsenseCorrect: number;
  commonsense: number;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '  –  ' : `${((100 * part) / whole).toFixed(1)} %`;

/** One line of the live view: bar, episodes, recall and CommonsenseQA accuracy so far. */
export function tallyLine(tally: PolicyTally, total: number, width = 20): string {
  const filled = total === 0 ? width : Math.round((tally.episodes / total) * width);
  return `${tally.label.padEnd(14)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(tally.episodes).padStart(3)}/${total} episodes  recall ${percent(tally.recalled, tally.episodes).padStart(7)}  commonsense ${percent(tally.commonsenseCorrect, tally.commonsense).padStart(7)}`;
}

/**
 * The live view: one line per policy, redrawn in place on a terminal; elsewhere (a pipe, CI) a block
 * of lines every `everyEpisodes` episodes, so logs stay short.
 */
export class DemoProgress {
  readonly #stream: { write(text: string): unknown; isTTY?: boolean };
  readonly #total: number;
  readonly #everyEpisodes: number;
  #drawnLines = 0;
  #lastPrinted = -1;

  constructor(stream: { write(text: string): unknown; isTTY?: boolean }, total: number, everyEpisodes = 10) {
    this.#stream = stream;
    this.#total = total;
    this.#everyEpisodes = everyEpisodes;
  }

  update(tallies: readonly PolicyTally[], force = false): void {
    const lines = tallies.map((tally) => tallyLine(tally, this.#total));
    if (this.#stream.isTTY) {
      const up = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F` : '';
      this.#stream.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
      this.#drawnLines = lines.length;
      return;
    }
    const done = Math.min(...tallies.map((tally) => tally.episodes));
    const allDone = tallies.every((tally) => tally.episodes === this.#total);
    const due = allDone || (done > 0 && done % this.#everyEpisodes === 0);
    if (force || (due && done !== this.#lastPrinted)) {
      this.#lastPrinted = done;
      this.#stream.write(`${lines.join('\n')}\n`);
    }
  }
}
