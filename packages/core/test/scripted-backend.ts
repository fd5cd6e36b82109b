import {
  AbortedError,
  type AppendOptions,
  type AppendResult,
  CapacityExceededError,
  DisposedError,
  InvalidOptionError,
  type KVBackend,
  type KVSequence,
  type ModelInfo,
  validateKeepIndices,
} from '../src/index.js';

/**
 * A scripted test double: no model, just rules that make every number predictable by hand.
 * - the surprisal of token t is `surprisalOf(t)` (default t % 13 + 0.5); +∞ on an empty sequence;
 * - the next token after t is (7t + 3) mod vocabulary (greedy, sampled and argmax alike);
 * - text is one letter per token: 'a' + t mod 26.
 */
export class ScriptedBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  readonly calls = { append: 0, retain: 0, appendedTokens: 0 };
  readonly sequences: ScriptedSequence[] = [];
  surprisalOf: (token: number) => number = (token) => (token % 13) + 0.5;
  /** Called before each fed token; lets a test abort mid-call. */
  beforeToken: (index: number) => void = () => {};

  constructor({ vocabularySize = 64, endOfGeneration = [] as number[] } = {}) {
    this.info = {
      name: 'scripted',
      fingerprint: `scripted:${vocabularySize}`,
      vocabularySize,
      trainedContextLength: 1 << 20,
      specialTokens: { endOfGeneration },
      positionShift: 'exact',
    };
  }

  tokenize(text: string): number[] {
    return Array.from(text, (character) => (character.charCodeAt(0) - 97 + 26 * 100) % 26);
  }

  detokenize(tokens: readonly number[]): string {
    return tokens.map((token) => String.fromCharCode(97 + (token % 26))).join('');
  }

  async createSequence({ capacity }: { capacity: number }): Promise<KVSequence> {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionError({ option: 'capacity', value: capacity, expected: 'a positive integer' });
    }
    const sequence = new ScriptedSequence(this, capacity);
    this.sequences.push(sequence);
    return sequence;
  }

  async dispose(): Promise<void> {}
}

export class ScriptedSequence implements KVSequence {
  readonly tokens: number[] = [];
  disposed = false;
  maximumLength = 0;

  constructor(
    private readonly backend: ScriptedBackend,
    readonly capacity: number,
  ) {}

  get length(): number {
    return this.tokens.length;
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.disposed) throw new DisposedError({ resource: 'sequence' });
    if (this.tokens.length + tokens.length > this.capacity) {
      throw new CapacityExceededError({
        capacity: this.capacity,
        requested: this.tokens.length + tokens.length,
        hint: '',
      });
    }
    this.backend.calls.append++;
    const surprisal = new Float32Array(tokens.length);
    const before = this.tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      this.backend.beforeToken(i);
      if (options.signal?.aborted) {
        this.tokens.length = before;
        throw new AbortedError({ operation: 'append' });
      }
      const token = tokens[i] as number;
      surprisal[i] = this.tokens.length === 0 ? Number.POSITIVE_INFINITY : this.backend.surprisalOf(token);
      this.tokens.push(token);
    }
    this.backend.calls.appendedTokens += tokens.length;
    this.maximumLength = Math.max(this.maximumLength, this.tokens.length);
    const last = this.tokens[this.tokens.length - 1] ?? 0;
    const nextToken = (7 * last + 3) % this.backend.info.vocabularySize;
    const argmax = options.argmax
      ? Int32Array.from(tokens, (token) => (7 * token + 3) % this.backend.info.vocabularySize)
      : undefined;
    return {
      surprisal,
      ...(argmax ? { argmax } : {}),
      ...(options.sample
        ? { next: { token: nextToken, surprisal: this.backend.surprisalOf(nextToken) } }
        : {}),
    };
  }

  async retain(keep: Uint32Array): Promise<void> {
    validateKeepIndices(keep, this.tokens.length);
    this.backend.calls.retain++;
    const kept = Array.from(keep, (index) => this.tokens[index] as number);
    this.tokens.length = 0;
    this.tokens.push(...kept);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
