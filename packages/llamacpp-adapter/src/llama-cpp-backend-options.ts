import type { Llama, LlamaModel, LlamaOptions } from 'node-llama-cpp';

/** How `retain` moves kept tokens to compact positions. */
export type EvictionMode = 'shift' | 'rebuild';

/**
 * Options of {@link createLlamaCppBackend}. Give exactly one of `modelPath` (the backend loads and
 * owns the model) or `model` (a `LlamaModel` you loaded and keep owning).
 */
export interface LlamaCppBackendOptions {
  /** Path of a GGUF model file. The backend loads it and disposes it with itself. */
  readonly modelPath?: string;
  /** A model you loaded with node-llama-cpp. The backend never disposes it. */
  readonly model?: LlamaModel;
  /**
   * The `Llama` instance that loads `modelPath` (yours; never disposed by the backend). Default: one
   * from `getLlama({ build: 'never', gpu, maxThreads: threads })`, owned by the backend.
   */
  readonly llama?: Llama;
  /** GPU use when the backend creates the `Llama` instance (default `'auto'`; `false` for CPU only). */
  readonly gpu?: LlamaOptions['gpu'];
  /**
   * CPU threads for evaluation, passed explicitly to node-llama-cpp (whose CPU default, max(4, cores),
   * oversubscribes small machines badly). An integer ≥ 1; default `os.availableParallelism()`.
   */
  readonly threads?: number;
  /**
   * KV cells of each llama.cpp sequence: the largest `capacity` that `createSequence` accepts.
   * Default: the model's trained context, at most 4096.
   */
  readonly contextSize?: number;
  /**
   * Sequences per llama.cpp context (default 4). Sequences share one loaded model; a new context is
   * created when every sequence of the existing ones is taken. Snapshots restore only into a backend
   * with the same value.
   */
  readonly sequencesPerContext?: number;
  /** Tokens per llama.cpp batch (default: min(contextSize, 512)). Also the step at which `append` checks its abort signal. */
  readonly batchSize?: number;
  /**
   * Storage of cached keys and values (default `'f16'`, llama.cpp's default). `'f32'` matches a float32
   * reference to ~1e-5 instead of ~1e-2 and doubles the cache memory.
   */
  readonly kvCacheType?: 'f16' | 'f32';
  /** llama.cpp flash attention (default false: exact, the same result on every machine). */
  readonly flashAttention?: boolean;
  /**
   * `shift` (default): `retain` erases evicted ranges and llama.cpp re-rotates the kept keys (fast;
   * inexact for YaRN-scaled models, whose error grows with every shift). `rebuild`: `retain`
   * re-evaluates the kept tokens at their new positions (exact for every RoPE model, cost grows with
   * the cache size).
   */
  readonly evictionMode?: EvictionMode;
  /** Receives warnings such as the YaRN one (default `console.warn`). */
  readonly onWarning?: (message: string) => void;
}
