import { DisposedError } from '../errors/disposed-error.js';
import { SessionBusyError } from '../errors/session-busy-error.js';
import { validateKeepIndices } from '../ledger/validate-keep-indices.js';
import type { AppendOptions } from '../seam/kv-sequence.js';
import type { SamplingOptions } from '../seam/sampling-options.js';
import { validateAppendArguments } from '../seam/validate-append-arguments.js';

/** Options of {@link SequenceGuard}; `BackendLifecycle.guard` fills them in for its sequences. */
export interface SequenceGuardOptions {
  /** What `DisposedError` calls the sequence (default `sequence`). */
  readonly resource?: string;
  /** True once the backend that made the sequence is disposed: the sequence is then unusable too. */
  readonly backendDisposed?: () => boolean;
  /** Runs once, on the first {@link SequenceGuard.dispose} (a backend unregisters the sequence here). */
  readonly onDispose?: () => void;
}

/** What {@link SequenceGuard.checkAppend} needs to know about the sequence. */
export interface AppendLimits {
  /** Tokens resident now. */
  readonly length: number;
  /** The sequence's capacity. */
  readonly capacity: number;
  /** The model's vocabulary size: every token id must be below it. */
  readonly vocabularySize: number;
}

/**
 * The model-independent half of a `KVSequence`, one per sequence: disposal, the busy guard and the
 * checks of `append`'s and `retain`'s arguments, so a backend's sequence keeps only its cache work.
 *
 * - **Disposal**: {@link dispose} marks the sequence disposed once (and runs `onDispose`); from then
 *   on, and once the backend is disposed, {@link assertUsable} throws `DisposedError`.
 * - **Busy guard**: {@link exclusive} marks an operation as running until it settles; a call that
 *   starts meanwhile gets `SessionBusyError` from {@link assertUsable} (the seam says calls on one
 *   sequence are not concurrent; this turns a caller's mistake into a typed error). A backend whose
 *   operations cannot interleave harmfully may leave `exclusive` out.
 * - **Arguments**: {@link checkAppend} and {@link checkRetain} apply the seam's checks
 *   (`validateAppendArguments`, `validateKeepIndices`) after {@link assertUsable}.
 */
export class SequenceGuard {
  readonly #resource: string;
  readonly #backendDisposed: () => boolean;
  readonly #onDispose: (() => void) | undefined;
  #running: string | undefined;
  #disposed = false;

  constructor({
    resource = 'sequence',
    backendDisposed = () => false,
    onDispose,
  }: SequenceGuardOptions = {}) {
    this.#resource = resource;
    this.#backendDisposed = backendDisposed;
    this.#onDispose = onDispose;
  }

  /** True once the sequence or its backend is disposed. */
  get disposed(): boolean {
    return this.#disposed || this.#backendDisposed();
  }

  /** The operation running now (inside {@link exclusive}), if any. */
  get running(): string | undefined {
    return this.#running;
  }

  /** Throws `DisposedError` when the sequence or its backend is disposed. For checks inside an operation. */
  throwIfDisposed(): void {
    if (this.disposed) throw new DisposedError({ resource: this.#resource });
  }

  /**
   * Throws `DisposedError` when disposed, and `SessionBusyError` naming `operation` while another
   * operation runs. Call it first in every public method of the sequence.
   */
  assertUsable(operation: string): void {
    this.throwIfDisposed();
    if (this.#running) throw new SessionBusyError({ operation, running: this.#running });
  }

  /** Runs `work` as `operation`: concurrent calls are refused with `SessionBusyError` until it settles. */
  async exclusive<T>(operation: string, work: () => Promise<T>): Promise<T> {
    this.assertUsable(operation);
    this.#running = operation;
    try {
      return await work();
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * The checks at the start of `append`: usable (`DisposedError`, `SessionBusyError`), then
   * `validateAppendArguments` (token ids, something to do, room, a distribution to sample from, not
   * aborted). Returns the sampling options with defaults filled in (undefined when not sampling).
   */
  checkAppend(
    tokens: readonly number[],
    options: AppendOptions,
    limits: AppendLimits,
  ): Required<SamplingOptions> | undefined {
    this.assertUsable('append');
    return validateAppendArguments(tokens, options, limits);
  }

  /**
   * The checks at the start of `retain`: usable, then `validateKeepIndices(keep, length)`. Returns
   * false when `keep` keeps every resident token (nothing to do), true when the cache must change.
   */
  checkRetain(keep: Uint32Array, length: number): boolean {
    this.assertUsable('retain');
    validateKeepIndices(keep, length);
    return keep.length !== length;
  }

  /**
   * Marks the sequence disposed. Returns true the first time (after running `onDispose`), false
   * afterwards, so a sequence's `dispose` frees its cache once: `if (!guard.dispose()) return;`.
   */
  dispose(): boolean {
    if (this.#disposed) return false;
    this.#disposed = true;
    this.#onDispose?.();
    return true;
  }
}
