import { StaleLeaseError } from './errors/stale-lease-error.js';

/** Options of one `SessionStore.save`. */
export interface SessionSaveOptions {
  /**
   * The fencing number of the lease the saving process holds (`SessionLease.fence`). A store that
   * `fences` refuses, with `StaleLeaseError`, a save whose fence is older than the session's newest
   * lease, so a process whose lease expired mid-turn cannot overwrite what the next holder saved.
   */
  readonly fence?: number;
}

/**
 * Where the chat layer (`ChatSessions`, under `ChatSirLLM` and the AI SDK provider) parks sessions it
 * evicts from memory (least recently used beyond `maxSessions`, or on `dispose`), and finds them again
 * on the next call with the same session id; with leases, where each process saves a session after its
 * turn and the next process restores it. Every store passes `runSessionStoreConformance`
 * (`@sirllm/chat/conformance`).
 *
 * Contract: `save` replaces the session's bytes atomically — a `load`, in this process or another, sees
 * the old bytes or the new ones, never a mix or a torn value, also when the saving process dies midway.
 */
export interface SessionStore {
  /**
   * Replaces the session's saved bytes atomically; a store that `fences` refuses an old `fence` with
   * `StaleLeaseError`.
   */
  save(sessionId: string, bytes: Uint8Array, options?: SessionSaveOptions): Promise<void>;
  /** The saved bytes, or undefined when nothing is saved under this id. */
  load(sessionId: string): Promise<Uint8Array | undefined>;
  /** Removes what is saved under this id; a no-op when nothing is. */
  delete(sessionId: string): Promise<void>;
  /**
   * Whether `save` checks `fence` against the session's newest lease (needed with `SessionLeases` across
   * processes). The file store does not: it fences nothing, use it from one process.
   */
  readonly fences?: boolean;
}

/**
 * A store in this process's memory (snapshots are far smaller than live caches of idle sessions). It
 * fences against the leases of `leases` when given (`createMemorySessionLeases`), for tests of several
 * holders in one process.
 */
export function createMemorySessionStore(
  options: { leases?: { newestFence(sessionId: string): number } } = {},
): SessionStore {
  const saved = new Map<string, Uint8Array>();
  const { leases } = options;
  return {
    fences: leases !== undefined,
    save: async (sessionId, bytes, saveOptions) => {
      const fence = saveOptions?.fence;
      if (leases && fence !== undefined) {
        const newest = leases.newestFence(sessionId);
        if (newest > fence) throw new StaleLeaseError({ sessionId, fence, newest });
      }
      saved.set(sessionId, bytes.slice());
    },
    load: async (sessionId) => saved.get(sessionId)?.slice(),
    delete: async (sessionId) => {
      saved.delete(sessionId);
    },
  };
}
