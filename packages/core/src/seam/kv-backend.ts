import type { ChatTemplate } from './chat-template.js';
import type { KVSequence } from './kv-sequence.js';
import type { ModelInfo } from './model-info.js';
import type { JsonSchema, SamplingConstraint } from './sampling-constraint.js';

/** Options of {@link KVBackend.createSequence}. */
export interface CreateSequenceOptions {
  /** KV cells for the new sequence: a positive integer the backend can fit. */
  readonly capacity: number;
}

/** Options of {@link KVBackend.tokenize}. */
export interface TokenizeOptions {
  /** Parse special-token text such as `<s>` into special ids (default false: treat it as plain text). */
  readonly special?: boolean;
}

/**
 * The seam between the SirLLM engine and an inference library (llama.cpp, transformers.js, the
 * testkit's reference implementation). A backend owns one loaded model and hands out independent
 * {@link KVSequence}s, so several conversations can share one model.
 *
 * The seam is versioned: a backend declares `specificationVersion`, and the engine refuses a backend
 * written against a different version instead of misbehaving. Capabilities added to `v1` later are
 * optional members (`restoreSequence`, `compileJsonSchema`): a backend that lacks one still conforms,
 * and callers check for the member before using it.
 */
export interface KVBackend {
  /** The version of this seam the backend implements; the engine refuses any other. */
  readonly specificationVersion: 'v1';
  /** The loaded model: name, fingerprint, vocabulary, special tokens, position settings. */
  readonly info: ModelInfo;

  /** The model's chat format, where the backend knows it (from the model file or its tokenizer). */
  readonly chatTemplate?: ChatTemplate;

  /** Text to token ids. Never adds a beginning-of-sequence token by itself. */
  tokenize(text: string, options?: TokenizeOptions): number[];
  /**
   * Token ids to text. `detokenize([])` is `''`. Decoding a concatenation equals concatenating decodings
   * at token boundaries (the conformance suite checks both).
   */
  detokenize(tokens: readonly number[]): string;

  /**
   * A new empty sequence. Rejects with `InvalidOptionError` for a bad capacity (not a positive integer,
   * or more than the backend can fit) and with `PositionShiftUnsupportedError` when the model's
   * positions cannot be shifted.
   */
  createSequence(options: CreateSequenceOptions): Promise<KVSequence>;

  /** Optional: rebuild a sequence from `KVSequence.snapshot` bytes; rejects on corrupt or foreign data. */
  restoreSequence?(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<KVSequence>;

  /**
   * Optional capability, constrained sampling: compiles a JSON schema into a {@link SamplingConstraint}
   * that `KVSequence.append` (option `constraint`) and `MemorySession.generate` (option `constraint`)
   * apply, so that only tokens continuing a text valid under the schema are ever sampled. Rejects with
   * `InvalidOptionError` for a schema the backend cannot compile. Backends without a grammar engine
   * leave it out; integrations then throw `CapabilityUnsupportedError`.
   */
  compileJsonSchema?(schema: JsonSchema): Promise<SamplingConstraint>;

  /** Release the model and every sequence. Idempotent. */
  dispose(): Promise<void>;
}
