import { SirLLMError } from '@sirllm/core';

/** True when `error` is an object carrying the global marker symbol `markerName` (works across duplicate installs). */
export function carriesMarker(error: unknown, markerName: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for(markerName)] === true
  );
}

/**
 * A call that failed without changing the session: the same call again (after a pause, or on another
 * process) can succeed. `retryable` is always true; a request router retries on it.
 */
export abstract class RetryableSessionError extends SirLLMError {
  /** Always true: a router may retry the call. */
  readonly retryable = true as const;
  /** The session the failed call was for. */
  readonly sessionId: string;

  constructor(message: string, sessionId: string, options?: { cause?: unknown }) {
    super(message, options);
    this.sessionId = sessionId;
  }
}
