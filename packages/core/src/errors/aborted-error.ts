import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.aborted';
const symbol = Symbol.for(marker);

/**
 * An operation was cancelled through its `AbortSignal`. Work finished before the abort is kept
 * (its tokens are resident and in the transcript); `partial` describes it where there is some.
 */
export class AbortedError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** What was generated before the abort: its tokens and their text. */
  readonly partial?: {
    /** The tokens fed or generated before the abort. */
    readonly tokens: readonly number[];
    /** Their text (empty for an aborted ingest). */
    readonly text: string;
  };

  constructor({
    operation,
    partial,
    cause,
  }: { operation: string; partial?: { tokens: readonly number[]; text: string }; cause?: unknown }) {
    super(`${operation} was aborted.`, { cause });
    this.name = 'AbortError';
    if (partial) this.partial = partial;
  }

  /** True when `error` is an `AbortedError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is AbortedError {
    return hasMarker(error, marker);
  }
}

/** Throws an {@link AbortedError} when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) throw new AbortedError({ operation, cause: signal.reason });
}
