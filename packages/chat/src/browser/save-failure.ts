/**
 * The error a failed save rejects with: for a full storage quota, what the person can do about it;
 * otherwise what failed. Either way the session's saved value is the one before the save; `cause` is
 * the browser's own error.
 */
export function saveFailure(sessionId: string, databaseName: string, cause: unknown): Error {
  const unchanged = 'the value saved before is unchanged';
  if ((cause as { name?: string } | null)?.name === 'QuotaExceededError') {
    return new Error(
      `Session "${sessionId}": the browser's storage quota is full, so the session could not be saved to IndexedDB database "${databaseName}" (${unchanged}). Delete sessions you no longer need, and ask the browser to keep this site's data with navigator.storage.persist() (requestPersistentStorage from @sirllm/chat/browser), which also spares it from eviction under storage pressure.`,
      { cause },
    );
  }
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new Error(
    `Session "${sessionId}": saving to IndexedDB database "${databaseName}" failed (${reason}); ${unchanged}.`,
    { cause },
  );
}
