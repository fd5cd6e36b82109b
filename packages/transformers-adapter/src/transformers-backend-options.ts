/** Weight precisions of transformers.js model folders (`onnx/model.onnx`, `model_fp16`, `model_quantized`, `model_q4`). */
export type TransformersDtype = 'fp32' | 'fp16' | 'q8' | 'q4';

/** Options of {@link createTransformersBackend}. */
export interface TransformersBackendOptions {
  /**
   * A local model folder (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model*.onnx`)
   * or a Hugging Face hub id such as `onnx-community/Qwen2.5-0.5B-Instruct` (downloaded by
   * transformers.js when its `env.allowRemoteModels` is on and the hub can be reached).
   */
  readonly model: string;
  /** Which ONNX file to load (default `fp32`). The cache type (float32/float16) is read from the graph. */
  readonly dtype?: TransformersDtype;
  /**
   * `native` (default): onnxruntime-node on the CPU. `wasm`: onnxruntime-web's WebAssembly build,
   * loaded from the local `onnxruntime-web/dist/` folder (works offline; slower).
   */
  readonly runtime?: 'native' | 'wasm';
  /** Intra-op threads of the ONNX session (default: onnxruntime's choice). */
  readonly threads?: number;
  /**
   * Positions fed to the model per forward pass (default 64): logits are read chunk by chunk, so a
   * [sequence, vocabulary] array is never allocated whole.
   */
  readonly chunkSize?: number;
  /**
   * Keep every key as the model first produced it and re-rotate moved keys from that original, so a
   * key carries one rounding however often it moves (costs one more key-sized array and ~1.5× the
   * compaction traffic). Default: on for float16 caches (one rounding is ~5e-4), off for float32, where
   * rotating in place adds ~6e-8 per move and a key moves at most once per eviction before it.
   */
  readonly rotateFromOriginalKeys?: boolean;
  /** Largest capacity `createSequence` accepts (default: `max_position_embeddings`). */
  readonly maximumCapacity?: number;
  /** `info.name` (default: the folder name or hub id). */
  readonly name?: string;
}
