import { hasMarker } from '@sirllm/core';
import { RetryableSessionError } from './retryable-error.js';

const marker = 'sirllm.error.session-store-unavailable';
const symbol = Symbol.for(marker);

/**
 * The session store (or the lease service) could not be reached: a connection refused, a timeout, a
 * server restarting. Nothing was stored; the call can be retried once the store is back. `cause` is the
 * client's own error.
 */
export class SessionStoreUnavailableError extends RetryableSessionError {
  protected readonly [symbol] = true;

  constructor({ sessionId, operation, cause }: { sessionId: string; operation: string; cause: unknown }) {
    super(
      `Session "${sessionId}": the session store is unavailable (${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}). Nothing was stored; retry the call when the store is back.`,
      sessionId,
      { cause },
    );
    this.name = 'SessionStoreUnavailableError';
  }

  static override isInstance(error: unknown): error is SessionStoreUnavailableError {
    return hasMarker(error, marker);
  }
}
