/**
 * The right to continue one session, held by one process at a time until it is released or expires.
 * `fence` grows with every lease of the session (a fencing token): saves carry it, and a store that
 * fences refuses a save older than the newest lease.
 */
export interface SessionLease {
  /** The session this lease is for. */
  readonly sessionId: string;
  /** Fencing number: larger than that of every earlier lease of this session. */
  readonly fence: number;
  /** Extends the lease by the lease time; throws `LeaseLostError` when it has expired already. */
  renew(): Promise<void>;
  /** Gives the lease up (a no-op when it has expired or been taken over). */
  release(): Promise<void>;
}

/**
 * Leases of sessions across processes (`createRedisSessionLeases` in `@sirllm/redis`) or within one
 * (`createMemorySessionLeases`). `ChatSessions` with `leases` acquires one around every call of a session,
 * renews it while the turn runs, saves with its fence and releases it.
 */
export interface SessionLeases {
  /** How long a lease lasts without renewal; `ChatSessions` renews every third of it. */
  readonly leaseMs: number;
  /**
   * Acquires the session's lease, waiting while another holder has it: `LeaseUnavailableError` after
   * `waitMs` (default: the lease time), `SessionStoreUnavailableError` when the lease service is down.
   */
  acquire(
    sessionId: string,
    options?: { readonly waitMs?: number; readonly signal?: AbortSignal },
  ): Promise<SessionLease>;
}
