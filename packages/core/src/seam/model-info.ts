import type { RopeSettings } from '../rope/rope-settings.js';

/**
 * How well a backend can move cached keys to new positions after eviction.
 *
 * - `exact`: compaction gives the same keys as a fresh forward pass at the new positions
 *   (up to floating-point error), e.g. plain or linear/llama3-scaled RoPE.
 * - `approximate`: compaction works but drifts with every shift (llama.cpp with YaRN scaling).
 *   The engine still runs; adapters warn and may offer an exact rebuild mode.
 * - `unsupported`: positions cannot be shifted at all (M-RoPE, MLA, sliding-window, recurrent
 *   models, dynamic NTK). `createSequence` must refuse such a model with
 *   {@link PositionShiftUnsupportedError} before anything is evaluated.
 */
export type PositionShiftSupport = 'exact' | 'approximate' | 'unsupported';

/** Special token ids a backend knows about. All optional: tiny or unusual models may lack them. */
export interface SpecialTokens {
  /** Beginning-of-sequence token, if the model uses one. */
  readonly beginOfSequence?: number;
  /** Tokens that end a generation (end-of-sequence, end-of-turn). Generation stops when one is sampled. */
  readonly endOfGeneration: readonly number[];
}

/** What the engine needs to know about a loaded model. */
export interface ModelInfo {
  /** A human-readable model name (file name, hub id, or a testkit description). */
  readonly name: string;
  /**
   * The model's architecture as its files name it — GGUF `general.architecture` (`llama`, `qwen2`,
   * `gemma3`…), `config.json` `model_type` (`llama`, `mistral`, `gemma3_text`…), or the testkit family —
   * when the backend knows it. Informational: nothing in the engine depends on it.
   */
  readonly architecture?: string;
  /**
   * A stable identity of the weights and tokenizer (e.g. a hash of the file header and tensor layout).
   * Snapshots record it and are refused by a backend whose fingerprint differs.
   */
  readonly fingerprint: string;
  /** Size of the output distribution; every token id is in `[0, vocabularySize)`. */
  readonly vocabularySize: number;
  /** The context length the model was trained for (positions beyond it are out of distribution). */
  readonly trainedContextLength: number;
  /** The beginning-of-sequence and end-of-generation tokens the backend knows. */
  readonly specialTokens: SpecialTokens;
  /** Rotary position settings, when the model uses RoPE and the backend can read them. */
  readonly rope?: RopeSettings;
  /** Whether cached keys can be moved to compacted positions (see {@link PositionShiftSupport}). */
  readonly positionShift: PositionShiftSupport;
}
