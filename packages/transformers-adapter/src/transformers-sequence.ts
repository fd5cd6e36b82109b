import {
  type AppendOptions,
  type AppendResult,
  argmaxOf,
  type BackendLifecycle,
  type KVSequence,
  type SequenceGuard,
  sampleNext,
  throwIfAborted,
} from '@sirllm/core';
import type { DecoderRunner } from './decoder-runner.js';
import { KeyValueStore } from './key-value-store.js';
import type { LayerRotators } from './layer-rotators.js';
import { rowSurprisal } from './row-surprisal.js';
import { encodeSequenceState, type SequenceState } from './snapshot-format.js';

/** What a sequence needs from its backend. */
export interface SequenceContext {
  readonly runner: DecoderRunner;
  /** Undefined for models whose cache holds no positions (no rotation needed). */
  readonly rotators: LayerRotators | undefined;
  readonly fingerprint: string;
  readonly chunkSize: number;
  /** Keep each key as first produced and re-rotate from it (see `KeyValueStore`). */
  readonly keepOriginalKeys: boolean;
  /** The backend's lifecycle: guards the sequence and unregisters it on dispose. */
  readonly lifecycle: BackendLifecycle<TransformersSequence>;
}

/**
 * A {@link KVSequence} over a transformers.js decoder. The cache is a record of typed arrays owned by
 * the sequence (never edited in place: every change builds new arrays, so a failed or aborted call
 * leaves the old state intact). After `retain`, the last kept token is left out of the cache and fed
 * again by the next `append`, which yields the distribution that follows it in the compacted cache.
 */
export class TransformersSequence implements KVSequence {
  readonly capacity: number;
  readonly #context: SequenceContext;
  #tokens: Int32Array;
  #length: number;
  #store: KeyValueStore;
  #pendingLogits: Float32Array | undefined;
  /** Successful appends with `sample` so far: the draw index of the next pick (see `sampleNext`). */
  #draws = 0;
  readonly #guard: SequenceGuard;

  /** Made by `TransformersBackend.createSequence` and `restoreSequence` (with checked state). */
  constructor(context: SequenceContext, capacity: number, restored?: SequenceState) {
    this.#context = context;
    this.#guard = context.lifecycle.guard(this);
    this.capacity = capacity;
    this.#tokens = new Int32Array(capacity);
    const { layout } = context.runner;
    this.#store = restored?.store ?? KeyValueStore.empty(layout, context.keepOriginalKeys);
    this.#length = restored?.tokens.length ?? 0;
    if (restored) this.#tokens.set(restored.tokens);
    this.#pendingLogits = restored?.pendingLogits;
  }

  /** Tokens resident now; 0 once the sequence or its backend is disposed. */
  get length(): number {
    return this.#guard.disposed ? 0 : this.#length;
  }

  /** Bytes held by the cache now (keys, values and the original keys kept for exact re-rotation). */
  get cacheBytes(): number {
    return this.#store.byteLength;
  }

  /**
   * A copy of the logits the next `append` scores its first token against (the distribution after the
   * last resident token in the compacted cache); undefined for an empty sequence. After a `retain` this
   * runs the last kept token through the model once (as the next `append` would).
   */
  async nextTokenLogits(): Promise<Float32Array | undefined> {
    this.#guard.assertUsable('nextTokenLogits');
    if (this.#length === 0) return undefined;
    if (this.#store.rows < this.#length) {
      await this.#guard.exclusive('nextTokenLogits', async () => {
        const result = await this.#context.runner.forward(
          [this.#tokens[this.#length - 1] as number],
          this.#store,
        );
        this.#guard.throwIfDisposed();
        this.#store = this.#store.withPresent(result.presentKeys, result.presentValues, this.capacity);
        this.#pendingLogits = result.logits.slice(0, this.#context.runner.vocabularySize);
      });
    }
    return this.#pendingLogits?.slice();
  }

  /** A copy of the resident token ids, in position order. */
  residentTokens(): Int32Array {
    return this.#tokens.slice(0, this.#length);
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    const { signal } = options;
    const vocabularySize = this.#context.runner.vocabularySize;
    const sampling = this.#guard.checkAppend(tokens, options, {
      length: this.#length,
      capacity: this.capacity,
      vocabularySize,
    });
    return this.#guard.exclusive('append', async () => {
      const refed = this.#store.rows < this.#length ? [this.#tokens[this.#length - 1] as number] : [];
      const feed = [...refed, ...tokens];
      const surprisal = new Float32Array(tokens.length);
      const argmax = options.argmax ? new Int32Array(tokens.length) : undefined;
      let store = this.#store;
      let previous = refed.length === 0 ? this.#pendingLogits : undefined;
      for (let start = 0; start < feed.length; start += this.#context.chunkSize) {
        throwIfAborted(signal, 'append');
        const chunk = feed.slice(start, start + this.#context.chunkSize);
        // A backend disposed meanwhile may release the session under this run: DisposedError, not its error.
        const result = await this.#context.runner.forward(chunk, store).catch((error: unknown) => {
          this.#guard.throwIfDisposed();
          throw error;
        });
        this.#guard.throwIfDisposed();
        store = store.withPresent(result.presentKeys, result.presentValues, this.capacity);
        for (let i = 0; i < chunk.length; i++) {
          const fedIndex = start + i - refed.length;
          const row = result.logits.subarray(i * vocabularySize, (i + 1) * vocabularySize);
          if (fedIndex >= 0) {
            const token = tokens[fedIndex] as number;
            surprisal[fedIndex] = previous ? rowSurprisal(previous, token) : Number.POSITIVE_INFINITY;
            if (argmax) argmax[fedIndex] = argmaxOf(row);
          }
          previous = row;
        }
        // Keep only the last row alive, not the whole chunk's logits.
        if (previous) previous = previous.slice();
      }
      throwIfAborted(signal, 'append');
      const next = sampling && previous ? sampleNext(previous, sampling, { draw: this.#draws }) : undefined;
      // Commit.
      if (next) this.#draws++;
      this.#store = store;
      this.#tokens.set(tokens, this.#length);
      this.#length += tokens.length;
      this.#pendingLogits = previous;
      return { surprisal, ...(argmax ? { argmax } : {}), ...(next ? { next } : {}) };
    });
  }

  async retain(keep: Uint32Array): Promise<void> {
    if (!this.#guard.checkRetain(keep, this.#length)) return;
    const count = keep.length;
    // Every kept token but the last stays in the cache; the last one is fed again by the next append.
    const cached = keep.subarray(0, Math.max(0, count - 1));
    this.#store = this.#store.gather(cached, this.#context.rotators, this.capacity);
    const tokens = new Int32Array(this.capacity);
    for (let i = 0; i < count; i++) tokens[i] = this.#tokens[keep[i] as number] as number;
    this.#tokens = tokens;
    this.#length = count;
    this.#pendingLogits = undefined;
  }

  async snapshot(): Promise<Uint8Array> {
    this.#guard.assertUsable('snapshot');
    return encodeSequenceState({
      fingerprint: this.#context.fingerprint,
      vocabularySize: this.#context.runner.vocabularySize,
      tokens: this.#tokens.slice(0, this.#length),
      store: this.#store,
      pendingLogits: this.#pendingLogits,
    });
  }

  async dispose(): Promise<void> {
    if (!this.#guard.dispose()) return;
    this.#length = 0;
    this.#store = KeyValueStore.empty(this.#context.runner.layout, this.#context.keepOriginalKeys);
    this.#pendingLogits = undefined;
  }
}
