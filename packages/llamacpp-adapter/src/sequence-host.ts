import type { BackendLifecycle } from '@sirllm/core';
import type { ConstraintHost } from './grammar/llama-cpp-constraint.js';
import type { EvictionMode } from './llama-cpp-backend-options.js';
import type { LlamaCppSequence } from './llama-cpp-sequence.js';

/** What a {@link LlamaCppSequence} needs from the backend that made it. */
export interface SequenceHost {
  readonly vocabularySize: number;
  readonly batchSize: number;
  readonly evictionMode: EvictionMode;
  readonly fingerprint: string;
  readonly sequencesPerContext: number;
  /** Identifies the constraints this backend compiled (see `LlamaCppConstraintState.belongsTo`). */
  readonly constraints: ConstraintHost;
  /** The backend's lifecycle: guards each sequence (disposal) and unregisters it on dispose. */
  readonly lifecycle: BackendLifecycle<LlamaCppSequence>;
  /** A fresh path in the backend's private temporary folder (for llama.cpp state files). */
  temporaryFile(): Promise<string>;
}

/** Counters of one sequence, for tests and benchmarks. */
export interface SequenceStatistics {
  /** Tokens this sequence sent to llama.cpp for evaluation (appends, re-feeds of one token, rebuilds). */
  readonly evaluatedTokens: number;
  /** Cached tokens llama.cpp moved to new positions during `retain` (node-llama-cpp meters them as input). */
  readonly shiftedTokens: number;
  /** `retain` calls that erased ranges in place. */
  readonly erasures: number;
  /** `retain` calls that rebuilt the cache by re-evaluating the kept tokens. */
  readonly rebuilds: number;
}
