import type { LedgerView } from '../ledger/token-ledger.js';

/** What the engine asks a policy when the cache must make room. */
export interface SelectionRequest {
  /** KV cells of the cache. */
  readonly capacity: number;
  /** Tokens about to be appended; the kept set plus these must fit in `capacity`. */
  readonly incoming: number;
  /**
   * The newest resident tokens that must stay, on top of the policy's own `recent` window (the engine
   * protects the tokens it is generating from, mid-turn). Default 0.
   */
  readonly protectNewest?: number;
}

/**
 * Decides which resident tokens stay when the cache is full. Policies are plain objects, so users can
 * write their own; most are built on `createSelectionPolicy`, which handles budgets, sinks, the recent
 * window and the fill with the newest tokens once for all of them.
 */
export interface RetentionPolicy {
  /** Short name used in reports, e.g. `sirllm` or `streaming-llm`. */
  readonly name: string;
  /** The first `sinks` tokens of the stream are never evicted (attention sinks). */
  readonly sinks: number;
  /** The newest `recent` tokens are never evicted. */
  readonly recent: number;
  /** Multiplier η ∈ (0, 1] applied to every resident score once per dialogue turn (1: no decay). */
  readonly decay: number;
  /** False for policies that never evict (they refuse to overflow instead). */
  readonly evicts: boolean;
  /**
   * The resident indices to keep, strictly ascending, with `keep.length + incoming ≤ capacity`.
   * When everything fits already, returns every index. Never mutates the ledger.
   * Throws `CapacityExceededError` when the mandatory tokens (sinks, recent, protected) plus the
   * incoming ones cannot fit.
   */
  select(ledger: LedgerView, request: SelectionRequest): Uint32Array;
}
