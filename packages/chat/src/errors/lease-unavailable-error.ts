import { hasMarker } from '@sirllm/core';
import { RetryableSessionError } from './retryable-error.js';

const marker = 'sirllm.error.lease-unavailable';
const symbol = Symbol.for(marker);

/** Another process held the session's lease for longer than this call would wait. Retry later. */
export class LeaseUnavailableError extends RetryableSessionError {
  protected readonly [symbol] = true;

  constructor({ sessionId, waitedMs }: { sessionId: string; waitedMs: number }) {
    super(
      `Session "${sessionId}" is being continued by another process (its lease was held for the ${waitedMs} ms this call waited). Retry the call later, or route a session's calls to one process.`,
      sessionId,
    );
    this.name = 'LeaseUnavailableError';
  }

  static override isInstance(error: unknown): error is LeaseUnavailableError {
    return hasMarker(error, marker);
  }
}
