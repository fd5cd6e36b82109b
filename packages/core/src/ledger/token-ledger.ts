import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { roleCode, roleName, type TokenRole } from './token-role.js';
import { validateKeepIndices } from './validate-keep-indices.js';

/** One resident token, as returned by {@link TokenLedger.entry}. */
export interface LedgerEntry {
  /** The token id. */
  readonly token: number;
  /** Decayed surprisal: the retention score policies rank by. */
  readonly score: number;
  /** Dialogue turn the token arrived in (0-based). */
  readonly turn: number;
  /** Who produced the token. */
  readonly role: TokenRole;
  /** Position of the token in the whole conversation stream (never compacted). */
  readonly streamPosition: number;
}

/** Read-only view policies select from. Index i is the i-th resident token (cache position i). */
export interface LedgerView {
  /** Number of resident tokens. */
  readonly length: number;
  /** Scores of the resident tokens; entries beyond `length` are meaningless. */
  readonly scores: Float64Array;
}

/**
 * The engine's record of the resident tokens, parallel to the backend's KV cache: index i describes
 * the token at cache position i. Fixed capacity, typed arrays, no allocation per token.
 */
export class TokenLedger implements LedgerView {
  /** The most tokens the ledger can hold (the cache's KV cells). */
  readonly capacity: number;
  /** Token id at each cache position; entries beyond `length` are meaningless. */
  readonly tokens: Int32Array;
  readonly scores: Float64Array;
  /** Turn each resident token arrived in. */
  readonly turns: Int32Array;
  /** Role code of each resident token (an index into `tokenRoles`). */
  readonly roles: Uint8Array;
  /** Position of each resident token in the whole conversation stream. */
  readonly streamPositions: Float64Array;
  #length = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.tokens = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.turns = new Int32Array(capacity);
    this.roles = new Uint8Array(capacity);
    this.streamPositions = new Float64Array(capacity);
  }

  /** Number of resident tokens. */
  get length(): number {
    return this.#length;
  }

  /** Adds tokens after the resident ones; `scores[i]` is the surprisal of `tokens[i]`. */
  append({
    tokens,
    scores,
    turn,
    role,
    firstStreamPosition,
  }: {
    tokens: ArrayLike<number>;
    scores: ArrayLike<number>;
    turn: number;
    role: TokenRole;
    firstStreamPosition: number;
  }): void {
    if (tokens.length !== scores.length) {
      throw new InvalidOptionError({ option: 'scores', value: scores, expected: `${tokens.length} scores` });
    }
    if (this.#length + tokens.length > this.capacity) {
      throw new InvalidOptionError({
        option: 'tokens',
        value: tokens,
        expected: `at most ${this.capacity - this.#length} tokens (ledger capacity ${this.capacity})`,
      });
    }
    const code = roleCode(role);
    for (let i = 0; i < tokens.length; i++) {
      const at = this.#length + i;
      this.tokens[at] = tokens[i] as number;
      this.scores[at] = scores[i] as number;
      this.turns[at] = turn;
      this.roles[at] = code;
      this.streamPositions[at] = firstStreamPosition + i;
    }
    this.#length += tokens.length;
  }

  /** Replaces the whole content with parallel arrays of equal length (from a snapshot). */
  load(entries: {
    tokens: Int32Array;
    scores: Float64Array;
    turns: Int32Array;
    roles: Uint8Array;
    streamPositions: Float64Array;
  }): void {
    const { length } = entries.tokens;
    const lengths = [entries.scores, entries.turns, entries.roles, entries.streamPositions].map(
      (array) => array.length,
    );
    if (length > this.capacity || lengths.some((other) => other !== length)) {
      throw new InvalidOptionError({
        option: 'ledger entries',
        value: length,
        expected: `parallel arrays of one length ≤ ${this.capacity}`,
      });
    }
    this.tokens.set(entries.tokens);
    this.scores.set(entries.scores);
    this.turns.set(entries.turns);
    this.roles.set(entries.roles);
    this.streamPositions.set(entries.streamPositions);
    this.#length = length;
  }

  /** Keeps exactly the entries at `keep` (strictly ascending), in order, and compacts. */
  retain(keep: Uint32Array): void {
    validateKeepIndices(keep, this.#length);
    for (let target = 0; target < keep.length; target++) {
      const source = keep[target] as number;
      if (source === target) continue;
      this.tokens[target] = this.tokens[source] as number;
      this.scores[target] = this.scores[source] as number;
      this.turns[target] = this.turns[source] as number;
      this.roles[target] = this.roles[source] as number;
      this.streamPositions[target] = this.streamPositions[source] as number;
    }
    this.#length = keep.length;
  }

  /** Multiplies every resident score by `factor` (the SirLLM decay η). */
  decay(factor: number): void {
    if (factor === 1) return;
    for (let i = 0; i < this.#length; i++) this.scores[i] = (this.scores[i] as number) * factor;
  }

  /** The resident token at `index`; throws `RangeError` outside `[0, length)`. */
  entry(index: number): LedgerEntry {
    if (!Number.isInteger(index) || index < 0 || index >= this.#length) {
      throw new RangeError(`ledger index ${index} is outside 0..${this.#length - 1}`);
    }
    return {
      token: this.tokens[index] as number,
      score: this.scores[index] as number,
      turn: this.turns[index] as number,
      role: roleName(this.roles[index] as number),
      streamPosition: this.streamPositions[index] as number,
    };
  }

  /** The resident token ids, in cache order (a copy). */
  residentTokens(): number[] {
    return Array.from(this.tokens.subarray(0, this.#length));
  }

  /** Empties the ledger. */
  clear(): void {
    this.#length = 0;
  }
}
