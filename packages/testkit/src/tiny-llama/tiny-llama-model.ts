import type { RopeSettings } from '@sirllm/core';
import type { ArchitectureFeatures } from '../families/architecture-features.js';
import type { ModelFamily } from '../families/model-family.js';

/** One weight tensor: row-major float32 data and its shape (Hugging Face layout, `[out, in]` for linear). */
export interface ModelTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The architecture of a tiny Llama model, fully resolved (no defaults left). */
export interface TinyLlamaConfig {
  /** The family whose structure this model has. */
  readonly family: ModelFamily;
  /** The family's structural features (biases, norms, activation, sliding window…). */
  readonly architecture: ArchitectureFeatures;
  /** The seed the weights were drawn from. */
  readonly seed: number;
  readonly layers: number;
  readonly attentionHeads: number;
  /** Key/value heads; fewer than `attentionHeads` means grouped-query attention. */
  readonly keyValueHeads: number;
  readonly hiddenSize: number;
  /** Size of one attention head: `hiddenSize / attentionHeads` unless the family decouples it. */
  readonly headDimension: number;
  readonly intermediateSize: number;
  readonly vocabularySize: number;
  /** RoPE of every layer, or of the global layers when the family has a sliding window. */
  readonly rope: RopeSettings;
  readonly rmsNormEpsilon: number;
  /** When true there is no `lm_head.weight`: the output projection is `model.embed_tokens.weight`. */
  readonly tiedEmbeddings: boolean;
  /** `max_position_embeddings` (the "trained" context length). */
  readonly maximumPositionEmbeddings: number;
}

/**
 * A tiny Llama-architecture model: its config and its tensors under Hugging Face names
 * (see {@link tinyLlamaTensorNames}). The same object is written to GGUF and ONNX and run by the
 * reference backend.
 */
export interface TinyLlamaModel {
  readonly config: TinyLlamaConfig;
  readonly tensors: ReadonlyMap<string, ModelTensor>;
}
