import {
  type AppendOptions,
  type AppendResult,
  argmaxOf,
  type BackendLifecycle,
  type KVSequence,
  type SequenceGuard,
  sampleNext,
  surprisalFromLogits,
  throwIfAborted,
} from '@sirllm/core';
import { KeyValueCache } from './key-value-cache.js';
import type { LlamaForward } from './llama-forward.js';
import type { RotaryTables } from './rotary-tables.js';
import { encodeSnapshot, type SnapshotContents } from './snapshot-format.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** What a sequence needs from its backend. */
export interface SequenceContext {
  readonly forward: LlamaForward;
  readonly modelFingerprint: number;
  /** The backend's lifecycle: guards the sequence and unregisters it on dispose. */
  readonly lifecycle: BackendLifecycle<ReferenceSequence>;
}

/** With a signal, `append` lets the event loop run every this many tokens, so an abort can land. */
const tokensBetweenYields = 16;

/**
 * A {@link KVSequence} of the reference backend: an explicit float64 KV cache (keys after RoPE) and
 * the logits that follow the last resident token. `retain` moves kept rows down and re-rotates their
 * keys by (new − old position); the logits after the last kept token are then recomputed lazily, by
 * running that token again at its new position.
 */
export class ReferenceSequence implements KVSequence {
  readonly capacity: number;
  readonly #context: SequenceContext;
  readonly #cache: KeyValueCache;
  readonly #tokens: Int32Array;
  #length = 0;
  /** Logits after the last resident token; undefined when the sequence is empty or they are stale. */
  #pending: Float64Array | undefined;
  /** Successful appends with `sample` so far: the draw index of the next pick (see `sampleNext`). */
  #draws = 0;
  readonly #guard: SequenceGuard;

  /** Made by `ReferenceBackend.createSequence` and `restoreSequence` (with checked snapshot contents). */
  constructor(context: SequenceContext, capacity: number, restored?: SnapshotContents) {
    const { config } = context.forward.weights;
    this.#context = context;
    this.#guard = context.lifecycle.guard(this);
    this.capacity = capacity;
    this.#cache = new KeyValueCache(config.layers, capacity, config.keyValueHeads, config.headDimension);
    this.#tokens = new Int32Array(capacity);
    if (restored) {
      this.#tokens.set(restored.tokens);
      restored.layerRows.forEach(({ keys, values }, layer) => {
        this.#cache.layers[layer]?.keys.set(keys);
        this.#cache.layers[layer]?.values.set(values);
      });
      this.#length = restored.tokens.length;
      this.#pending = restored.pendingLogits?.slice();
    }
  }

  /** Tokens resident now; 0 once the sequence or its backend is disposed. */
  get length(): number {
    return this.#guard.disposed ? 0 : this.#length;
  }

  /** A copy of the resident token ids, in position order. */
  residentTokens(): Int32Array {
    return this.#tokens.slice(0, this.#length);
  }

  /**
   * A copy of the logits that the next `append` scores its first token against (the distribution after
   * the last resident token in the compacted cache); undefined for an empty sequence.
   */
  async nextTokenLogits(): Promise<Float64Array | undefined> {
    this.#guard.assertUsable('nextTokenLogits');
    if (this.#length === 0) return undefined;
    this.#pending ??= this.#recomputeLast();
    return this.#pending.slice();
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    const { signal } = options;
    const sampling = this.#guard.checkAppend(tokens, options, {
      length: this.#length,
      capacity: this.capacity,
      vocabularySize: this.#context.forward.weights.config.vocabularySize,
    });
    return this.#guard.exclusive('append', async () => {
      const startLength = this.#length;
      const startPending = this.#pending;
      const overwrittenSlot =
        startLength > 0 && !startPending ? this.#cache.copySlot(startLength - 1) : undefined;
      try {
        if (overwrittenSlot) this.#pending = this.#recomputeLast();
        const surprisal = new Float32Array(tokens.length);
        const argmax = options.argmax ? new Int32Array(tokens.length) : undefined;
        for (let i = 0; i < tokens.length; i++) {
          if (signal) {
            if (i > 0 && i % tokensBetweenYields === 0) await yieldToEventLoop();
            throwIfAborted(signal, 'append');
          }
          this.#guard.throwIfDisposed();
          const token = tokens[i] as number;
          surprisal[i] = this.#pending ? surprisalFromLogits(this.#pending, token) : Number.POSITIVE_INFINITY;
          this.#pending = this.#context.forward.step(this.#cache, token, this.#length, this.#length);
          this.#tokens[this.#length] = token;
          this.#length++;
          if (argmax) argmax[i] = argmaxOf(this.#pending);
        }
        const row = this.#pending;
        const next = sampling && row ? sampleNext(row, sampling, { draw: this.#draws }) : undefined;
        if (next) this.#draws++;
        return { surprisal, ...(argmax ? { argmax } : {}), ...(next ? { next } : {}) };
      } catch (error) {
        // A dispose during the append emptied the sequence: nothing to roll back to.
        if (this.#guard.disposed) {
          this.#length = 0;
          this.#pending = undefined;
          throw error;
        }
        this.#length = startLength;
        this.#pending = startPending;
        if (overwrittenSlot) this.#cache.restoreSlot(startLength - 1, overwrittenSlot);
        throw error;
      }
    });
  }

  async retain(keep: Uint32Array): Promise<void> {
    if (!this.#guard.checkRetain(keep, this.#length)) return;
    const rotary = this.#context.forward.rotary;
    for (let to = 0; to < keep.length; to++) {
      const from = keep[to] as number;
      if (from === to) continue;
      this.#cache.moveSlot(from, to, (layer) => (rotary[layer] as RotaryTables).shift(to - from));
      this.#tokens[to] = this.#tokens[from] as number;
    }
    this.#length = keep.length;
    this.#pending = undefined;
  }

  async snapshot(): Promise<Uint8Array> {
    this.#guard.assertUsable('snapshot');
    const { config } = this.#context.forward.weights;
    const numbers = this.#length * this.#cache.rowWidth;
    return encodeSnapshot({
      modelFingerprint: this.#context.modelFingerprint,
      layers: config.layers,
      rowWidth: this.#cache.rowWidth,
      vocabularySize: config.vocabularySize,
      tokens: this.residentTokens(),
      layerRows: this.#cache.layers.map(({ keys, values }) => ({
        keys: keys.subarray(0, numbers),
        values: values.subarray(0, numbers),
      })),
      ...(this.#pending ? { pendingLogits: this.#pending } : {}),
    });
  }

  async dispose(): Promise<void> {
    if (!this.#guard.dispose()) return;
    this.#length = 0;
    this.#pending = undefined;
  }

  /** Runs the last resident token again at its position: the logits that follow it now. */
  #recomputeLast(): Float64Array {
    const slot = this.#length - 1;
    return this.#context.forward.step(this.#cache, this.#tokens[slot] as number, slot, slot);
  }
}
