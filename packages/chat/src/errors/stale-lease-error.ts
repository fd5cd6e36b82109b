import { hasMarker } from '@sirllm/core';
import { RetryableSessionError } from './retryable-error.js';

const marker = 'sirllm.error.stale-lease';
const symbol = Symbol.for(marker);

/**
 * A save was refused because another process leased the session after this one (this process's lease
 * expired: a pause, a slow turn). The turn's result was not stored and must not be used; retrying the
 * call continues the session from what the newer holder saved.
 */
export class StaleLeaseError extends RetryableSessionError {
  protected readonly [symbol] = true;
  /** The fence of the refused save's lease. */
  readonly fence: number;

  constructor({ sessionId, fence, newest }: { sessionId: string; fence: number; newest: number }) {
    super(
      `Session "${sessionId}": the save with lease fence ${fence} was refused, because the session was leased again since (fence ${newest}). ` +
        'This call lost its lease (it ran past the lease time); its reply was not stored. Retry the call.',
      sessionId,
    );
    this.name = 'StaleLeaseError';
    this.fence = fence;
  }

  static override isInstance(error: unknown): error is StaleLeaseError {
    return hasMarker(error, marker);
  }
}
