/**
 * Calls `attempt` until it returns a lease or `waitMs` has passed, pausing between attempts (5 ms,
 * doubling up to 100 ms). Undefined when the time ran out; the signal's reason when aborted.
 */
export async function waitForLease<Lease>(
  attempt: () => Promise<Lease | undefined>,
  { waitMs, signal }: { waitMs: number; signal?: AbortSignal | undefined },
): Promise<Lease | undefined> {
  const deadline = Date.now() + waitMs;
  let pause = 5;
  for (;;) {
    signal?.throwIfAborted();
    const lease = await attempt();
    if (lease !== undefined) return lease;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 100);
  }
}
