/**
 * Counters of one session (see `MemorySession.statistics`). Without `rewind`,
 * `transcriptLength = ingested + generated = resident + evicted`; `rewind` shortens the transcript and
 * the resident set but not the counters of work done.
 */
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
  /** Tokens in the logical transcript. */
  readonly transcriptLength: number;
}
