/** Counters of one session (see `MemorySession.statistics`). */
export interface SessionStatistics {
  /** KV cells of the cache. */
  readonly capacity: number;
  /** Tokens resident now (≤ capacity). */
  readonly resident: number;
  /** Tokens evicted so far. */
  readonly evicted: number;
  /** Times the policy evicted something. */
  readonly evictions: number;
  /** Turns begun. */
  readonly turns: number;
  /** Tokens fed by `ingest`. */
  readonly ingested: number;
  /** Tokens produced by `generate`. */
  readonly generated: number;
  /** Tokens in the logical transcript (= ingested + generated). */
  readonly transcriptLength: number;
}
