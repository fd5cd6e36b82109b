import { hasMarker } from '@sirllm/core';
import { RetryableSessionError } from './retryable-error.js';

const marker = 'sirllm.error.lease-lost';
const symbol = Symbol.for(marker);

/** Renewing a lease failed: it expired and may be held by another process now. Stop; retry the call. */
export class LeaseLostError extends RetryableSessionError {
  protected readonly [symbol] = true;

  constructor({ sessionId }: { sessionId: string }) {
    super(
      `Session "${sessionId}": this process's lease expired before it could be renewed; another process may be continuing the session. Retry the call.`,
      sessionId,
    );
    this.name = 'LeaseLostError';
  }

  static override isInstance(error: unknown): error is LeaseLostError {
    return hasMarker(error, marker);
  }
}
