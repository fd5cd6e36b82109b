import { SessionStoreUnavailableError } from '@sirllm/chat';

/**
 * Runs one Redis operation of a session; a failure of the client or the server (connection refused or
 * lost, offline queue disabled, timeout, an error reply) becomes `SessionStoreUnavailableError`, with the
 * client's error as `cause`. Errors already typed by this package pass through.
 */
export async function orUnavailable<T>(
  sessionId: string,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as { retryable?: unknown }).retryable === true) throw error; // already one of ours
    throw new SessionStoreUnavailableError({ sessionId, operation, cause: error });
  }
}
