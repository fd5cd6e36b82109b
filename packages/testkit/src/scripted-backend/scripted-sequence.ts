import {
  AbortedError,
  type AppendOptions,
  type AppendResult,
  BackendError,
  DisposedError,
  type KVSequence,
  validateAppendArguments,
  validateKeepIndices,
} from '@sirllm/core';
import type { ScriptContext } from './script.js';
import type { ScriptedBackend } from './scripted-backend.js';

/** A sequence of a {@link ScriptedBackend}: its resident tokens are a plain array a test can read. */
export class ScriptedSequence implements KVSequence {
  /** The resident tokens, position i at index i. Read it; do not change it. */
  readonly tokens: number[] = [];
  /** Whether `dispose` was called. */
  disposed = false;
  /** The largest `length` the sequence ever reached. */
  maximumLength = 0;
  readonly #backend: ScriptedBackend;

  /** Made by `ScriptedBackend.createSequence`. */
  constructor(
    backend: ScriptedBackend,
    /** Number of KV cells this sequence may hold. */
    readonly capacity: number,
  ) {
    this.#backend = backend;
  }

  get length(): number {
    return this.tokens.length;
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertUsable();
    const backend = this.#backend;
    const sampling = validateAppendArguments(tokens, options, {
      length: this.tokens.length,
      capacity: this.capacity,
      vocabularySize: backend.info.vocabularySize,
    });
    const before = this.tokens.length;
    const surprisal = new Float32Array(tokens.length);
    const argmax = options.argmax ? new Int32Array(tokens.length) : undefined;
    try {
      for (let i = 0; i < tokens.length; i++) {
        backend.beforeToken(i);
        if (options.signal?.aborted)
          throw new AbortedError({ operation: 'append', cause: options.signal.reason });
        const token = tokens[i] as number;
        surprisal[i] =
          this.tokens.length === 0
            ? Number.POSITIVE_INFINITY
            : backend.script.surprisal(token, this.#context());
        this.tokens.push(token);
        if (argmax) argmax[i] = backend.script.next(this.#context());
      }
      const next = sampling ? this.#pick(options) : undefined;
      backend.calls.append++;
      backend.calls.appendedTokens += tokens.length;
      this.maximumLength = Math.max(this.maximumLength, this.tokens.length);
      return { surprisal, ...(argmax ? { argmax } : {}), ...(next ? { next } : {}) };
    } catch (error) {
      this.tokens.length = before;
      throw error;
    }
  }

  async retain(keep: Uint32Array): Promise<void> {
    this.#assertUsable();
    validateKeepIndices(keep, this.tokens.length);
    const kept = Array.from(keep, (index) => this.tokens[index] as number);
    this.tokens.length = 0;
    this.tokens.push(...kept);
    this.#backend.calls.retain++;
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** The script's next token, or with a constraint the first allowed one from it upward (cyclically). */
  #pick({ constraint }: AppendOptions): { token: number; surprisal: number } {
    const { script, info } = this.#backend;
    const context = this.#context();
    const pick = script.next(context);
    if (!constraint) return { token: pick, surprisal: script.surprisal(pick, context) };
    for (let step = 0; step < info.vocabularySize; step++) {
      const token = (pick + step) % info.vocabularySize;
      if (constraint.allows(token)) return { token, surprisal: script.surprisal(token, context) };
    }
    throw new BackendError('The sampling constraint allows no token.');
  }

  #context(): ScriptContext {
    const backend = this.#backend;
    const tokens = this.tokens;
    let text: string | undefined;
    return {
      tokens,
      vocabulary: backend.vocabulary,
      get text() {
        text ??= backend.detokenize(tokens);
        return text;
      },
    };
  }

  #assertUsable(): void {
    if (this.disposed) throw new DisposedError({ resource: 'sequence' });
  }
}
