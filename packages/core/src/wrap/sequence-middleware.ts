import type { AppendOptions, AppendResult, KVSequence } from '../seam/kv-sequence.js';

/** How a sequence came to be: `KVBackend.createSequence` or `KVBackend.restoreSequence`. */
export type SequenceOrigin = 'create' | 'restore';

/**
 * Hooks around the members of every sequence a wrapped backend hands out (made by `createSequence` and by
 * `restoreSequence` alike). Each hook receives the call's arguments, the wrapped `sequence` (read its
 * `length` or `capacity`; call its members through `next`), and `next`, which runs the rest of the chain:
 * call it to forward, change its arguments or its result, or leave it out to answer by yourself.
 * `capacity` and `length` are always read from the wrapped sequence.
 */
export interface SequenceMiddleware {
  /** Around `append`. */
  append?(call: {
    readonly tokens: readonly number[];
    readonly options: AppendOptions | undefined;
    readonly sequence: KVSequence;
    readonly origin: SequenceOrigin;
    readonly next: (tokens: readonly number[], options?: AppendOptions) => Promise<AppendResult>;
  }): Promise<AppendResult>;
  /** Around `retain`. */
  retain?(call: {
    readonly keep: Uint32Array;
    readonly sequence: KVSequence;
    readonly origin: SequenceOrigin;
    readonly next: (keep: Uint32Array) => Promise<void>;
  }): Promise<void>;
  /** Runs only on sequences that have `snapshot`: a hook never gives a sequence a capability it lacks. */
  snapshot?(call: {
    readonly sequence: KVSequence;
    readonly origin: SequenceOrigin;
    readonly next: () => Promise<Uint8Array>;
  }): Promise<Uint8Array>;
  /** Around the sequence's `dispose`. */
  dispose?(call: {
    readonly sequence: KVSequence;
    readonly origin: SequenceOrigin;
    readonly next: () => Promise<void>;
  }): Promise<void>;
}
