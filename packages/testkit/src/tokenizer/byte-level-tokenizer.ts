import { InvalidOptionError } from '@sirllm/core';
import { byteLevelText } from './byte-level-text.js';
import { type MergePair, mergePairIn } from './learn-merges.js';
import { preTokenize } from './pre-tokenize.js';
import type { VocabularyEntry } from './vocabulary-entry.js';

/** Options of {@link ByteLevelTokenizer.encode}. */
export interface EncodeOptions {
  /** Parse special-token text such as `<|user|>` into its id (default false: encode it as plain bytes). */
  readonly special?: boolean;
}

const cacheLimit = 8192;

/**
 * A byte-level BPE tokenizer: ids 0–255 are the bytes, then one id per merge (in rank order), then the
 * special tokens. Text is split with the GPT-2 pattern and each piece is merged by rank, lowest first.
 */
export class ByteLevelTokenizer {
  /** The merge rules in rank order; merge i makes token 256 + i. */
  readonly merges: readonly MergePair[];
  /** The special tokens in id order, after the bytes and merges (e.g. `<s>`, `<|im_start|>`). */
  readonly specialTokens: readonly {
    /** The token's literal text. */
    readonly text: string;
    /** Its id. */
    readonly id: number;
  }[];
  /** Number of tokens: 256 bytes, the merges and the special tokens. */
  readonly vocabularySize: number;
  readonly #mergeRanks = new Map<number, number>();
  readonly #tokenBytes: Uint8Array[] = [];
  readonly #specialIds = new Map<string, number>();
  readonly #specialPattern: RegExp | undefined;
  readonly #pieceCache = new Map<string, readonly number[]>();
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  /**
   * @param merges merge rules by rank (merge `i` creates token `256 + i`).
   * @param specialTexts the special tokens' texts in id order: distinct and not empty (e.g. the default
   *   `specialTokenTexts`, or a model family's list).
   */
  constructor(merges: readonly MergePair[], specialTexts: readonly string[]) {
    requireSpecialTexts(specialTexts);
    this.merges = merges;
    for (let byte = 0; byte < 256; byte++) this.#tokenBytes.push(Uint8Array.of(byte));
    merges.forEach(([left, right], rank) => {
      const leftBytes = this.#tokenBytes[left];
      const rightBytes = this.#tokenBytes[right];
      if (!leftBytes || !rightBytes) {
        throw new InvalidOptionError({
          option: 'merges',
          value: merges,
          expected: 'merges of earlier tokens',
        });
      }
      this.#mergeRanks.set(left * 65536 + right, rank);
      const bytes = new Uint8Array(leftBytes.length + rightBytes.length);
      bytes.set(leftBytes);
      bytes.set(rightBytes, leftBytes.length);
      this.#tokenBytes.push(bytes);
    });
    this.specialTokens = specialTexts.map((text) => {
      const id = this.#tokenBytes.length;
      this.#tokenBytes.push(this.#encoder.encode(text));
      this.#specialIds.set(text, id);
      return { text, id };
    });
    this.vocabularySize = this.#tokenBytes.length;
    const alternatives = [...specialTexts].sort((a, b) => b.length - a.length).map(escapeForPattern);
    this.#specialPattern = alternatives.length > 0 ? new RegExp(`(${alternatives.join('|')})`) : undefined;
  }

  /** The id of a special token; `InvalidOptionError` naming the known ones for any other text. */
  specialTokenId(text: string): number {
    const id = this.#specialIds.get(text);
    if (id === undefined) {
      throw new InvalidOptionError({
        option: 'special token',
        value: text,
        expected: `one of ${this.specialTokens.map((token) => token.text).join(' ')}`,
      });
    }
    return id;
  }

  /** True when `text` is one of this tokenizer's special tokens. */
  hasSpecialToken(text: string): boolean {
    return this.#specialIds.has(text);
  }

  /** True for the ids of special tokens. */
  isSpecial(id: number): boolean {
    return id >= 256 + this.merges.length && id < this.vocabularySize;
  }

  /** Text to ids. Never adds `<s>` by itself. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const parts = options.special && this.#specialPattern ? text.split(this.#specialPattern) : [text];
    parts.forEach((part, index) => {
      // With a capturing pattern, odd parts are the special tokens themselves.
      if (index % 2 === 1) ids.push(this.specialTokenId(part));
      else for (const piece of preTokenize(part)) ids.push(...this.#encodePiece(piece));
    });
    return ids;
  }

  /** Ids to text (UTF-8; incomplete or invalid byte sequences become U+FFFD; specials as their text). */
  decode(ids: readonly number[]): string {
    const chunks = ids.map((id) => this.tokenBytes(id));
    const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return this.#decoder.decode(bytes);
  }

  /** The bytes one token decodes to (a copy). */
  tokenBytes(id: number): Uint8Array {
    const bytes = Number.isInteger(id) ? this.#tokenBytes[id] : undefined;
    if (!bytes) {
      throw new InvalidOptionError({
        option: 'token',
        value: id,
        expected: `an id in [0, ${this.vocabularySize})`,
      });
    }
    return bytes.slice();
  }

  /** Every token in id order, for writers of tokenizer files. */
  vocabulary(): VocabularyEntry[] {
    const mergeEnd = 256 + this.merges.length;
    return this.#tokenBytes.map((bytes, id) => {
      const kind = id < 256 ? 'byte' : id < mergeEnd ? 'merge' : 'special';
      const text = kind === 'special' ? this.#decoder.decode(bytes) : byteLevelText(bytes);
      return { id, bytes: bytes.slice(), text, kind };
    });
  }

  #encodePiece(piece: string): readonly number[] {
    const cached = this.#pieceCache.get(piece);
    if (cached) return cached;
    let ids: number[] = [...this.#encoder.encode(piece)];
    for (;;) {
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.#mergeRanks.get((ids[i] as number) * 65536 + (ids[i + 1] as number));
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Number.POSITIVE_INFINITY) break;
      ids = mergePairIn(ids, this.merges[bestRank] as MergePair, 256 + bestRank);
    }
    if (this.#pieceCache.size >= cacheLimit) this.#pieceCache.clear();
    this.#pieceCache.set(piece, ids);
    return ids;
  }
}

/** Special-token texts must be distinct and non-empty: each one is one id and one alternative of the split pattern. */
function requireSpecialTexts(texts: readonly string[]): void {
  if (!Array.isArray(texts)) {
    throw new InvalidOptionError({ option: 'specialTokens', value: texts, expected: 'an array of texts' });
  }
  const seen = new Set<string>();
  for (const text of texts) {
    if (typeof text !== 'string' || text === '' || seen.has(text)) {
      throw new InvalidOptionError({
        option: 'specialTokens',
        value: text,
        expected: 'distinct, non-empty special-token texts',
      });
    }
    seen.add(text);
  }
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
