/**
 * How the testkit writes a model (of any family) to ONNX.
 *
 * - `position-ids`: an optimum-style graph from standard opset-17 operators with a `position_ids`
 *   input; RoPE is applied from cosine/sine tables gathered at those positions. Gemma 3 has no
 *   `position_ids` input, as optimum exports it: a new token's position is the cache length + its index.
 * - `group-query-attention`: attention and RoPE fused into `com.microsoft.GroupQueryAttention`, as in
 *   onnxruntime-genai and many onnx-community exports. There is no `position_ids` input: each token's
 *   position is its index in the cache.
 */
export type OnnxExportStyle = 'position-ids' | 'group-query-attention';

/** Element type of the `past_key_values.*` inputs and `present.*` outputs. */
export type OnnxCacheType = 'float32' | 'float16';

/** Options of {@link writeLlamaOnnx}. */
export interface OnnxExportOptions {
  /** Default `position-ids`. */
  readonly style?: OnnxExportStyle;
  /** Default `float32`. Weights follow {@link OnnxExportOptions.weightType}, not this. */
  readonly cacheType?: OnnxCacheType;
  /**
   * Element type in which the weight matrices are stored (default `float32`). With `float16` each
   * matrix is stored at half the size and a `Cast` restores float32 before use, so the computation stays
   * float32 with the rounded weights — the numbers of a float16 GGUF. Norm weights stay float32.
   */
  readonly weightType?: OnnxCacheType;
  /** Element type of the `logits` output (default `float32`; many fp16 exports give float16 logits). */
  readonly logitsType?: OnnxCacheType;
}
