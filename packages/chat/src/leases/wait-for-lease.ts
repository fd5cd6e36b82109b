import { LeaseUnavailableError } from '../errors/lease-unavailable-error.js';
import type { SessionLease } from './session-lease.js';

/**
 * Acquires a session's lease by calling `attempt` until it returns one or `waitMs` has passed, pausing
 * between attempts (5 ms, doubling up to 100 ms): what every `SessionLeases.acquire` does around its own
 * single try. Throws `LeaseUnavailableError` when the time ran out, the signal's reason when aborted.
 */
export async function waitForLease(
  sessionId: string,
  attempt: () => Promise<SessionLease | undefined>,
  { waitMs, signal }: { waitMs: number; signal?: AbortSignal | undefined },
): Promise<SessionLease> {
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    signal?.throwIfAborted();
    const lease = await attempt();
    if (lease !== undefined) return lease;
    const left = deadline - Date.now();
    if (left <= 0) throw new LeaseUnavailableError({ sessionId, waitedMs: waitMs });
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 100);
  }
}
