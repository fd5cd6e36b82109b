/**
 * How a family's decoder block differs from plain Llama. The reference forward pass, the GGUF writer
 * and the ONNX writer all read these, so one switch changes all three alike.
 */
export interface ArchitectureFeatures {
  /** Biases on the query, key and value projections (Qwen 2); none on the output projection. */
  readonly attentionBias: boolean;
  /** RMSNorm over each query and key head (weight [headDimension]) before RoPE (Qwen 3, Gemma 3). */
  readonly queryKeyNorm: boolean;
  /** How a norm weight applies: `scale` x̂·w (Llama), `offset` x̂·(1 + w) (Gemma; weights near 0). */
  readonly normWeight: 'scale' | 'offset';
  /**
   * Norms on the attention output and on the MLP output as well as on their inputs (Gemma 3: four norms
   * per block: input, post-attention, pre-feed-forward, post-feed-forward).
   */
  readonly sandwichNorms: boolean;
  /** Activation of the MLP gate: `silu` (SwiGLU) or `gelu-tanh` (GeGLU with the tanh approximation). */
  readonly activation: 'silu' | 'gelu-tanh';
  /** Embeddings multiplied by √hiddenSize before the first block (Gemma). */
  readonly scaledEmbedding: boolean;
  /**
   * Files store query/key/value as one matrix and gate/up as one matrix (Phi-3). The model itself holds
   * them split under the Llama names; the writers fuse them (rows q, k, v; gate first, then up).
   */
  readonly fusedProjections: boolean;
  /** Sliding-window attention (Gemma 3); absent: every layer attends to the whole cache. */
  readonly slidingWindow?: SlidingWindow;
}

/**
 * Sliding-window layers: a query at cache index i sees keys at indices j with i − j < `window`.
 * Layer l is global (full attention, the model's main RoPE settings) when (l + 1) % `pattern` is 0,
 * otherwise local (the window, RoPE base `localTheta`, no scaling).
 */
export interface SlidingWindow {
  /** How many cache positions back a local layer's query sees (i − j < `window`). */
  readonly window: number;
  /** Every `pattern`-th layer is global; the others are local. */
  readonly pattern: number;
  /** RoPE base (`rope_theta`) of the local layers. */
  readonly localTheta: number;
}

/** Plain Llama: no biases, no q/k norms, two norms per block, SwiGLU, unscaled embeddings, split files. */
export const llamaArchitecture: ArchitectureFeatures = {
  attentionBias: false,
  queryKeyNorm: false,
  normWeight: 'scale',
  sandwichNorms: false,
  activation: 'silu',
  scaledEmbedding: false,
  fusedProjections: false,
};

/** True when layer `layer` of a model with these features uses the sliding window. */
export function isSlidingLayer(features: ArchitectureFeatures, layer: number): boolean {
  const sliding = features.slidingWindow;
  return sliding !== undefined && (layer + 1) % sliding.pattern !== 0;
}
