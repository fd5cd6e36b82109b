import { DisposedError } from '../errors/disposed-error.js';
import type { CreateSequenceOptions } from '../seam/kv-backend.js';
import type { ModelInfo } from '../seam/model-info.js';
import { refuseUnshiftablePositions } from './position-shift.js';
import { type CapacityLimit, requireSequenceCapacity } from './sequence-capacity.js';
import { SequenceGuard } from './sequence-guard.js';

/** Anything a backend hands out that must be freed with it. */
export interface DisposableSequence {
  /** Frees the sequence. Idempotent. */
  dispose(): Promise<void>;
}

/** Options of {@link BackendLifecycle}. */
export interface BackendLifecycleOptions extends CapacityLimit {
  /** The backend's `info`: its `positionShift` and `name` decide the position-shift refusal. */
  readonly info: ModelInfo;
  /**
   * The position scheme named by `PositionShiftUnsupportedError` when `info.positionShift` is
   * `'unsupported'` (e.g. `mrope`; `unshiftableRopeScheme(rope)` names a RoPE scaling).
   */
  readonly positionScheme: string;
  /** What `DisposedError` calls the backend (default `backend`). */
  readonly resource?: string;
  /** What `DisposedError` calls its sequences (default `sequence`). */
  readonly sequenceResource?: string;
}

/**
 * The model-independent half of a `KVBackend`, one per backend: what a backend author gets for free.
 *
 * - **Disposal**: {@link assertUsable} throws `DisposedError` after {@link dispose}, which runs once,
 *   disposes every live sequence and then runs the backend's release steps (all of them, even when one
 *   throws).
 * - **Admission** ({@link admit}): the checks `createSequence` and `restoreSequence` start with — usable,
 *   the position-shift refusal (`PositionShiftUnsupportedError`) and the capacity
 *   (`InvalidOptionError` naming `capacity`).
 * - **Live sequences**: {@link register} records a new sequence (and disposes it at once if the backend
 *   was disposed while it was being made); each sequence's {@link guard} unregisters it on dispose and
 *   makes it unusable once the backend is disposed.
 *
 * A backend keeps a private `BackendLifecycle` and forwards to it; see docs/extending.md.
 */
export class BackendLifecycle<S extends DisposableSequence = DisposableSequence> {
  readonly #options: BackendLifecycleOptions;
  readonly #live = new Set<S>();
  #disposed = false;

  constructor(options: BackendLifecycleOptions) {
    this.#options = options;
  }

  /** True once {@link dispose} has started. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** The sequences made and not yet disposed (a copy). */
  get sequences(): S[] {
    return [...this.#live];
  }

  /** Throws `DisposedError` once the backend is disposed. Call it first in every backend method. */
  assertUsable(): void {
    if (this.#disposed) throw new DisposedError({ resource: this.#options.resource ?? 'backend' });
  }

  /**
   * The checks every `createSequence` and `restoreSequence` starts with, in this order: the backend is
   * usable (`DisposedError`), the model's positions can shift (`PositionShiftUnsupportedError`), and
   * `options.capacity` is an integer in [1, maximum] (`InvalidOptionError` naming `capacity`).
   * Returns the capacity.
   */
  admit(options: CreateSequenceOptions | undefined): number {
    this.assertUsable();
    const { info, positionScheme } = this.#options;
    refuseUnshiftablePositions({ support: info.positionShift, scheme: positionScheme, model: info.name });
    return requireSequenceCapacity(options, this.#options);
  }

  /**
   * The disposal and busy guard of `sequence`, bound to this backend: unusable once the backend is
   * disposed, and removed from the live sequences when it is disposed itself. Call it from the
   * sequence's constructor (`this.#guard = lifecycle.guard(this)`).
   */
  guard(sequence: S): SequenceGuard {
    return new SequenceGuard({
      resource: this.#options.sequenceResource ?? 'sequence',
      backendDisposed: () => this.#disposed,
      onDispose: () => this.#live.delete(sequence),
    });
  }

  /**
   * Records a new sequence as live and returns it. When the backend was disposed while the sequence
   * was being made (an asynchronous `createSequence`), disposes the sequence and throws `DisposedError`.
   */
  async register(sequence: S): Promise<S> {
    if (this.#disposed) {
      await sequence.dispose();
      this.assertUsable();
    }
    this.#live.add(sequence);
    return sequence;
  }

  /**
   * Marks the backend disposed, disposes every live sequence, then runs `release` (the backend's own
   * cleanup, step by step: freeing the model, removing temporary files, …). Every sequence is disposed
   * and every release step runs even when some of them throw; the errors are thrown afterwards (the
   * only one as it is, several as an `AggregateError`). Returns true the first time, false afterwards
   * (and then runs nothing), so a backend's `dispose` is `await lifecycle.dispose(() => model.free())`.
   */
  async dispose(...release: Array<() => Promise<void> | void>): Promise<boolean> {
    if (this.#disposed) return false;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const sequence of [...this.#live]) {
      try {
        await sequence.dispose();
      } catch (error) {
        errors.push(error);
      }
      this.#live.delete(sequence);
    }
    for (const step of release) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, `disposing the backend failed ${errors.length} times`);
    return true;
  }
}
