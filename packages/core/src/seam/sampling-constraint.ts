/**
 * A JSON schema as a plain object (`{ type: 'object', properties: { … } }`). Which keywords a backend
 * can enforce while sampling is documented by the backend; the rest are not enforced.
 */
export interface JsonSchema {
  readonly [keyword: string]: unknown;
}

/**
 * A compiled grammar that restricts which tokens may be sampled, made by a backend's optional
 * {@link KVBackend.compileJsonSchema}. Opaque to the engine: immutable, reusable for any number of
 * generations, but only with sequences of the backend that compiled it. Each constrained text starts
 * its own {@link ConstraintState} with {@link SamplingConstraint.start}.
 */
export interface SamplingConstraint {
  /** What the constraint enforces, for messages (e.g. `JSON schema {"type":"object",…}`). */
  readonly description: string;
  /** A fresh state positioned at the start of the constrained text. */
  start(): ConstraintState;
}

/**
 * Where one constrained text stands in its grammar. It describes tokens, not cache positions: evicting
 * or compacting the cache never changes it, so it survives decode-time eviction. The engine advances it
 * with every token it feeds ({@link ConstraintState.accept}); `KVSequence.append` only reads it.
 */
export interface ConstraintState {
  /**
   * True when the tokens accepted so far form a complete text of the grammar: the text may end here.
   * `MemorySession.generate` stops at the first complete point (finish reason `constraint-complete`).
   */
  readonly complete: boolean;
  /** Whether `token` may follow the tokens accepted so far. */
  allows(token: number): boolean;
  /**
   * Advances past `token`. A token the grammar does not allow throws `InvalidOptionError` and leaves
   * the state unchanged.
   */
  accept(token: number): void;
}
