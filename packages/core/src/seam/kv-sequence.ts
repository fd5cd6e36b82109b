import type { ConstraintState } from './sampling-constraint.js';
import type { SamplingOptions } from './sampling-options.js';

/** Options of {@link KVSequence.append}. */
export interface AppendOptions {
  /**
   * When present, also pick the token that would follow the last fed token (or, for an empty
   * `tokens`, the last resident token) and report it in {@link AppendResult.next}. The picked token
   * is *not* fed: feed it with the next `append` call.
   */
  readonly sample?: SamplingOptions;
  /**
   * When true, report for every fed token the argmax of the distribution that follows it
   * (used for the "greedy match" rule of multiple-choice scoring).
   */
  readonly argmax?: boolean;
  /**
   * With `sample`: pick `next` only among the tokens `constraint.allows` (see `sampleConstrainedToken`).
   * The state is read, never advanced: the caller accepts the token it feeds. `next.surprisal` stays
   * the raw −ln P of the picked token, before the constraint. Only backends with `compileJsonSchema`
   * honour it, and only for states of constraints they compiled (others reject with
   * `InvalidOptionError`). A state that allows no token rejects with `BackendError`.
   */
  readonly constraint?: ConstraintState;
  /** Cancels the call. A cancelled call rejects and leaves the sequence exactly as before the call. */
  readonly signal?: AbortSignal;
}

/** Result of {@link KVSequence.append}. */
export interface AppendResult {
  /**
   * `surprisal[i]` = −ln P(tokens[i] | every token before it), in nats, from the model's raw
   * distribution. The first fed token is scored against the distribution that follows the last
   * resident token; on an empty sequence it has no context and is `+Infinity`.
   */
  readonly surprisal: Float32Array;
  /** `argmax[i]` = the most probable token after `tokens[i]`; present when `argmax` was requested. */
  readonly argmax?: Int32Array;
  /** The sampled next token and its surprisal (raw distribution); present when `sample` was given. */
  readonly next?: {
    /** The picked token id. */
    readonly token: number;
    /** −ln P(token) under the raw distribution, in nats. */
    readonly surprisal: number;
  };
}

/**
 * One conversation's KV cache inside a loaded model: a list of resident tokens at positions
 * 0..length−1 and the model state they produced.
 *
 * Contract every backend keeps (checked by `runBackendConformance` in `@sirllm/testkit`):
 * - Positions are always compact: the i-th resident token sits at position i.
 * - `append` is atomic: when it rejects (bad token, over capacity, abort, backend failure) the sequence
 *   is left exactly as before the call.
 * - `append` past `capacity` rejects with `CapacityExceededError`; the caller evicts first.
 * - Calls on one sequence are not concurrent; the engine awaits each before the next.
 * - After `dispose`, every call rejects with `DisposedError` and `length` is 0. A `dispose` during an
 *   `append` (or another call) makes that call reject with `DisposedError`, unless it completed first.
 */
export interface KVSequence {
  /** Number of KV cells this sequence may hold. Fixed at creation. */
  readonly capacity: number;
  /** Number of tokens resident now; 0 once the sequence (or its backend) is disposed. */
  readonly length: number;

  /**
   * Feed `tokens` after the resident ones and score them (see {@link AppendResult}).
   * `tokens` may be empty when `options.sample` is given: then only the next token is picked.
   */
  append(tokens: readonly number[], options?: AppendOptions): Promise<AppendResult>;

  /**
   * Keep exactly the resident indices in `keep` (strictly ascending, each < `length`), drop the rest,
   * and compact positions to 0..keep.length−1, moving every kept key to its new position.
   * `retain([0..m))` is a cheap rollback of the tail. After a retain, the next `append` scores its first
   * token against the distribution that follows the last kept token *in the compacted cache*.
   * Invalid `keep` rejects with `InvalidOptionError` and changes nothing.
   */
  retain(keep: Uint32Array): Promise<void>;

  /** Serialise the resident state, where the backend can (see `KVBackend.restoreSequence`). */
  snapshot?(): Promise<Uint8Array>;

  /** Free the cache. Idempotent. */
  dispose(): Promise<void>;
}
