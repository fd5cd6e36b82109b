import type { TokenRole } from '../ledger/token-role.js';
import type { SamplingConstraint } from '../seam/sampling-constraint.js';
import type { SamplingOptions } from '../seam/sampling-options.js';

/** Options of `MemorySession.generate`. */
export interface GenerateOptions {
  /** Most tokens to generate (default 256). */
  readonly maxTokens?: number;
  /** Stop when the text contains one of these; the returned text ends before it. */
  readonly stop?: readonly string[];
  /** Extra token ids that end generation, besides the model's end-of-generation tokens. */
  readonly stopTokens?: readonly number[];
  /** Temperature, top-k, top-p, min-p and seed of the draws (default greedy). */
  readonly sampling?: SamplingOptions;
  /**
   * Constrained sampling: a constraint from the backend's `compileJsonSchema`. Every generated token
   * continues a text the constraint accepts, and generation ends as soon as that text is complete
   * (finish reason `constraint-complete`); `maxTokens`, stop sequences and aborts still end it earlier.
   * Backends without `compileJsonSchema` throw `CapabilityUnsupportedError`.
   */
  readonly constraint?: SamplingConstraint;
  /** Role recorded for the generated tokens (default `assistant`). */
  readonly role?: TokenRole;
  /** Cancels the generation; what was generated before the abort stays resident. */
  readonly signal?: AbortSignal;
  /** Called after every generated token with the text that became safe to show. */
  readonly onToken?: (event: GeneratedToken) => void;
}

/** One `onToken` event of `MemorySession.generate`. */
export interface GeneratedToken {
  /**
   * The token just generated, or −1 for the last event of a generation, which releases text that was
   * held back (an incomplete character or a possible stop-sequence prefix) and carries no token.
   */
  readonly token: number;
  /** −ln P(token) under the raw distribution, in nats. */
  readonly surprisal: number;
  /** New text released by this token (may be empty while a character or stop sequence is incomplete). */
  readonly text: string;
}

/**
 * Why generation ended. `cache-full`: a policy that never evicts (`full()`) ran out of cells; what was
 * generated is kept. `constraint-complete`: the text generated under `constraint` is complete (e.g. the
 * JSON value is closed); it is the normal end of a constrained generation.
 */
export type FinishReason =
  | 'stop-sequence'
  | 'end-of-generation'
  | 'max-tokens'
  | 'cache-full'
  | 'constraint-complete';

/** Result of `MemorySession.generate`. */
export interface GenerateResult {
  /** The generated text, cut before a stop sequence if one was hit. */
  readonly text: string;
  /** Every token fed to the cache by this call (a stop sequence's tokens included). */
  readonly tokens: readonly number[];
  /** Surprisal of each token in `tokens`. */
  readonly surprisal: Float32Array;
  /** Why generation ended. */
  readonly finishReason: FinishReason;
  /** The end-of-generation token that stopped generation; it is not fed to the cache. */
  readonly endToken?: number;
}

/** Options of `MemorySession.ingest`. */
export interface IngestOptions {
  /** Role recorded for the tokens (default `user`). */
  readonly role?: TokenRole;
  /** Cancels the call; tokens fed before the abort stay resident. */
  readonly signal?: AbortSignal;
  /** Parse special-token text when `input` is a string (default false). */
  readonly special?: boolean;
}

/** Result of `MemorySession.ingest`. */
export interface IngestResult {
  /** The tokens fed to the cache, in order. */
  readonly tokens: readonly number[];
  /** Surprisal of each token in `tokens`, in nats. */
  readonly surprisal: Float32Array;
}
