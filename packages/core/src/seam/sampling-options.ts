/**
 * How a backend picks the next token. Sampling never changes the reported surprisal: surprisal is
 * always −ln P(token) under the model's raw distribution (before temperature, top-k, top-p, min-p).
 */
export interface SamplingOptions {
  /** 0 (the default) means greedy: the most probable token, ties to the lowest id. */
  readonly temperature?: number;
  /** Keep only the k most probable tokens before sampling (0 or absent: no limit). */
  readonly topK?: number;
  /** Keep the smallest set of most probable tokens whose probability reaches p (1 or absent: no limit). */
  readonly topP?: number;
  /** Drop tokens whose probability is below minP × the top probability (0 or absent: no limit). */
  readonly minP?: number;
  /** Seed for reproducible sampling. The same seed and the same history give the same tokens. */
  readonly seed?: number;
}
