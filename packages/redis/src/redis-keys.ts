/**
 * The Redis keys of one session. The id is URI-encoded and wrapped in a hash tag (`{…}`), so all keys of
 * a session live in one cluster slot (the scripts touch several of them atomically).
 */
export interface SessionKeys {
  /** Hash: `generation`, `chunks`, `length` of the stored snapshot. Written last: it switches snapshots. */
  readonly manifest: string;
  /** Counter: the newest lease's fence. Shared by the store (fenced saves) and the leases. */
  readonly fence: string;
  /** String: the lease holder's token, with the lease time as its expiry. */
  readonly lease: string;
  /** The key of chunk `index` of snapshot `generation`. */
  chunk(generation: string, index: number): string;
}

/** The keys of `sessionId` under `prefix` (default `sirllm:`); store and leases must share the prefix. */
export function sessionKeys(prefix: string, sessionId: string): SessionKeys {
  const base = `${prefix}{${encodeURIComponent(sessionId)}}`;
  return {
    manifest: `${base}:manifest`,
    fence: `${base}:fence`,
    lease: `${base}:lease`,
    chunk: (generation, index) => `${base}:chunk:${generation}:${index}`,
  };
}
