import type { ChatTemplate, KVBackend, RetentionPolicy } from '@sirllm/core';
import type { SessionLeases } from './leases/session-lease.js';
import type { SessionStore } from './session-store.js';
import type { ChatRendering } from './turn-renderer.js';

/** Options of {@link ChatSessions}: the model, and how each conversation's memory is kept. */
export interface ChatSessionsOptions {
  /** Any SirLLM backend (llama.cpp, transformers.js, the testkit reference backend). */
  readonly backend: KVBackend;
  /** KV cells per session: the most tokens one conversation keeps resident. */
  readonly capacity: number;
  /**
   * The retention policy of each session, or a factory giving each session its own (needed for
   * stateful policies such as `random`). Default `sirllm()`.
   */
  readonly policy?: RetentionPolicy | (() => RetentionPolicy);
  /** Default: the backend's own `chatTemplate`. */
  readonly chatTemplate?: ChatTemplate;
  /**
   * `'incremental'` (default): each call renders only its new messages, after a short window of the
   * history, checked once per history shape against rendering the whole history. `'full'`: render the
   * whole history on every call (O(history) per call). See `TurnRenderer`.
   */
  readonly chatRendering?: ChatRendering;
  /**
   * Live sessions kept at once (default 16). Beyond it, the least recently used idle session is saved
   * to `sessionStore` (when given, and when the backend can snapshot) and disposed.
   */
  readonly maxSessions?: number;
  /** Where evicted and disposed sessions are saved, e.g. `createFileSessionStore(directory)`. */
  readonly sessionStore?: SessionStore;
  /** Engine settings per session (see `MemorySessionOptions`). */
  readonly chunkSize?: number;
  /** The newest tokens that evictions in the middle of a turn never remove (see `MemorySessionOptions`). */
  readonly protectRecent?: number;
  /**
   * Leases for running one session's calls in several processes (`createRedisSessionLeases` from
   * `@sirllm/redis`). Each call of a session then acquires its lease (waiting up to `leaseWaitMs`),
   * restores the session from `sessionStore` unless this process holds the newest copy, runs the turn
   * while renewing the lease, saves the session with the lease's fence and releases the lease. Needs a
   * `sessionStore` that fences and a backend that can snapshot.
   */
  readonly leases?: SessionLeases;
  /** How long a call waits for a session's lease held elsewhere (default: the lease time). */
  readonly leaseWaitMs?: number;
}
