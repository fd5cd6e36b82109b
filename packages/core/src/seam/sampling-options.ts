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
  /**
   * Seed for reproducible sampling (an integer in [0, 2³²), default 0). Every backend picks `next` with
   * core's `sampleNext`, and the draws are defined so that the same seed and the same logits give the
   * same tokens on every backend:
   * - each sequence counts its picks: the k-th `append` with `sample` that succeeds on a sequence
   *   (k = 0, 1, …, counted from its creation or restore; greedy and constrained appends count too; a
   *   rejected or aborted append does not; `retain` does not reset it) draws from a fresh generator
   *   `samplingRandom(seed, k)` — `createRandom` seeded with a 32-bit hash of `seed` and `k`;
   * - a non-greedy pick takes one uniform draw u from it and returns the first of the tokens that
   *   survive temperature → top-k → top-p → min-p (most probable first, ties to the lower id) whose
   *   cumulative probability exceeds u; under a constraint a refused pick is drawn again from the same
   *   generator over the allowed tokens.
   *
   * So a new sequence fed the same tokens with the same options samples the same tokens, whatever the
   * backend (up to logits that differ across a draw's boundary). Snapshots do not carry the count.
   */
  readonly seed?: number;
}
