import { SirLLMError } from '@sirllm/core';

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
