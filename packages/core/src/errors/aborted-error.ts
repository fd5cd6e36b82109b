import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.aborted';
const symbol = Symbol.for(marker);

/**
 * An operation was cancelled through its `AbortSignal`. Work finished before the abort is kept
 * (its tokens are resident and in the transcript); `partial` describes it where there is some.
 */
export class AbortedError extends SirLLMError {
  protected readonly [symbol] = true;
  readonly partial?: { readonly tokens: readonly number[]; readonly text: string };

  constructor({
    operation,
    partial,
    cause,
  }: { operation: string; partial?: { tokens: readonly number[]; text: string }; cause?: unknown }) {
    super(`${operation} was aborted.`, { cause });
    this.name = 'AbortError';
    if (partial) this.partial = partial;
  }

  static override isInstance(error: unknown): error is AbortedError {
    return hasMarker(error, marker);
  }
}

/** Throws an {@link AbortedError} when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) throw new AbortedError({ operation, cause: signal.reason });
}
