import type { RopeSettings } from '@sirllm/core';
import type { ArchitectureFeatures } from '../families/architecture-features.js';
import type { ModelFamily } from '../families/model-family.js';

/** One weight tensor: row-major float32 data and its shape (Hugging Face layout, `[out, in]` for linear). */
export interface ModelTensor {
  /** Extents, outermost first (`[out, in]` for a linear layer). */
  readonly shape: readonly number[];
  /** The elements, row-major. */
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
  /** Transformer blocks. */
  readonly layers: number;
  /** Query heads per layer. */
  readonly attentionHeads: number;
  /** Key/value heads; fewer than `attentionHeads` means grouped-query attention. */
  readonly keyValueHeads: number;
  /** Width of the residual stream (the embedding size). */
  readonly hiddenSize: number;
  /** Size of one attention head: `hiddenSize / attentionHeads` unless the family decouples it. */
  readonly headDimension: number;
  /** Width of the feed-forward layer's hidden activation. */
  readonly intermediateSize: number;
  /** Output classes (rows of the embedding matrix). */
  readonly vocabularySize: number;
  /** RoPE of every layer, or of the global layers when the family has a sliding window. */
  readonly rope: RopeSettings;
  /** Epsilon of every RMSNorm. */
  readonly rmsNormEpsilon: number;
  /** When true there is no `lm_head.weight`: the output projection is `model.embed_tokens.weight`. */
  readonly tiedEmbeddings: boolean;
  /** `max_position_embeddings` (the "trained" context length). */
  readonly maximumPositionEmbeddings: number;
}

/**
 * A tiny Llama-architecture model: its config and its tensors under Hugging Face names
 * (in the order of `tinyLlamaTensorNames`). The same object is written to GGUF and ONNX and run by the
 * reference backend.
 */
export interface TinyLlamaModel {
  /** The resolved architecture. */
  readonly config: TinyLlamaConfig;
  /** The weights by Hugging Face name (e.g. `model.layers.0.self_attn.q_proj.weight`). */
  readonly tensors: ReadonlyMap<string, ModelTensor>;
}
