/**
 * The text of a structured (JSON) reply as it streams: whitespace before the value and after it (the
 * grammar ends with newlines) is held back, so the streamed deltas join to exactly the text the
 * non-streaming call returns. Whitespace inside the value is passed on once more text follows it.
 */
export class TrimmedTextStream {
  readonly #emit: (delta: string) => void;
  #held = '';
  #started = false;

  constructor(emit: (delta: string) => void) {
    this.#emit = emit;
  }

  push(text: string): void {
    let combined = this.#held + text;
    if (!this.#started) combined = combined.trimStart();
    const visible = combined.trimEnd();
    this.#held = combined.slice(visible.length);
    if (visible === '') return;
    this.#started = true;
    this.#emit(visible);
  }
}
