/**
 * Turns generated tokens into text incrementally and finds stop sequences.
 *
 * Decoding only a short window of recent tokens keeps each step O(1) in the response length; text is
 * released only when it no longer ends in an incomplete UTF-8 character (U+FFFD) and can no longer be
 * the beginning of a stop sequence, so a streaming consumer never sees text that is later taken back.
 */
export class TextStream {
  readonly #detokenize: (tokens: readonly number[]) => string;
  readonly #stops: readonly string[];
  readonly #holdBack: number;
  readonly #tokens: number[] = [];
  #prefixOffset = 0;
  #readOffset = 0;
  #text = '';
  #released = 0;
  #stopped = false;

  constructor(detokenize: (tokens: readonly number[]) => string, stops: readonly string[]) {
    // Never ask the backend to decode nothing: some tokenizers (transformers.js 4.3) throw on `[]`.
    this.#detokenize = (tokens) => (tokens.length === 0 ? '' : detokenize(tokens));
    this.#stops = stops.filter((stop) => stop.length > 0);
    this.#holdBack = Math.max(0, ...this.#stops.map((stop) => stop.length - 1));
  }

  /** The text so far, cut before the stop sequence once one was found. */
  get text(): string {
    return this.#text;
  }

  /** True once a stop sequence has been found. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Adds a token; returns the text that became safe to release (possibly empty). */
  push(token: number): string {
    this.#tokens.push(token);
    const previous = this.#detokenize(this.#tokens.slice(this.#prefixOffset, this.#readOffset));
    const current = this.#detokenize(this.#tokens.slice(this.#prefixOffset));
    if (current.length > previous.length && !current.endsWith('\uFFFD')) {
      const searchFrom = Math.max(0, this.#text.length - this.#holdBack);
      this.#text += current.slice(previous.length);
      this.#prefixOffset = this.#readOffset;
      this.#readOffset = this.#tokens.length;
      this.#findStop(searchFrom);
    }
    const safeEnd = this.#stopped
      ? this.#text.length
      : Math.max(this.#released, this.#text.length - this.#holdBack);
    const piece = this.#text.slice(this.#released, safeEnd);
    this.#released = safeEnd;
    return piece;
  }

  /**
   * Ends the stream: decodes what is still pending (a trailing incomplete character becomes U+FFFD, as
   * decoding all tokens at once would give), applies the stop search once more, and releases the rest.
   */
  flush(): string {
    if (!this.#stopped && this.#readOffset < this.#tokens.length) {
      const previous = this.#detokenize(this.#tokens.slice(this.#prefixOffset, this.#readOffset));
      const current = this.#detokenize(this.#tokens.slice(this.#prefixOffset));
      const searchFrom = Math.max(0, this.#text.length - this.#holdBack);
      this.#text += current.slice(previous.length);
      this.#prefixOffset = this.#readOffset = this.#tokens.length;
      this.#findStop(searchFrom);
    }
    const piece = this.#text.slice(this.#released);
    this.#released = this.#text.length;
    return piece;
  }

  #findStop(searchFrom: number): void {
    let cut = -1;
    for (const stop of this.#stops) {
      const at = this.#text.indexOf(stop, searchFrom);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.#text = this.#text.slice(0, cut);
      this.#stopped = true;
    }
  }
}
