import type { Llama, LlamaModel, LlamaOptions } from 'node-llama-cpp';

/**
 * Element type of llama.cpp's cached keys or values (measured on tiny models, CPU, against the float64
 * reference after 30 rounds of eviction with compaction).
 *
 * - `'f32'`: exact (surprisal within ~1e-5 of the reference); shifts exactly.
 * - `'f16'`: llama.cpp's default; ~2e-2; shifting rounds keys to float16 again but adds no measurable
 *   error (the same ~2e-2 after 30 rounds as after none).
 * - `'q8_0'`: 32-value blocks of 8-bit codes and a float16 scale (8.5 bits a value); ~0.1–0.5 on tiny
 *   models, since llama.cpp also rounds the queries to 8 bits for the products. Needs every head size
 *   a multiple of 32 (llama.cpp aborts the process otherwise, so the backend refuses such a model);
 *   quantized values need `flashAttention: true`. Quantized values are never moved, so they keep
 *   shifting exact. Quantized keys are dequantized, rotated and quantized again on every shift:
 *   with `evictionMode: 'shift'` the backend reports `positionShift: 'approximate'` and warns, and
 *   it refuses key head sizes that are not multiples of 64, for which llama.cpp's shift of quantized
 *   keys crashes; `'rebuild'` re-evaluates instead (exact, any head size).
 *
 * BF16 is not offered: llama.cpp's CPU RoPE cannot rotate bf16 keys (the shift aborts the process).
 */
export type KeyValueCacheType = 'f32' | 'f16' | 'q8_0';

/** Separate element types for cached keys and cached values. */
export interface KeyValueCacheTypes {
  /** Element type of the cached keys. */
  readonly key: KeyValueCacheType;
  /** Element type of the cached values. */
  readonly value: KeyValueCacheType;
}

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
   * Storage of cached keys and values (default `'f16'` for both, llama.cpp's default): one
   * {@link KeyValueCacheType} for both, or `{ key, value }` to choose each. `'f32'` matches a float32
   * reference to ~1e-5 instead of ~1e-2 and doubles the cache memory; `'q8_0'` halves it again (see
   * {@link KeyValueCacheType} for what it needs and what it costs). Refused with `InvalidOptionError`
   * before the model loads when the model or `flashAttention` does not fit.
   */
  readonly kvCacheType?: KeyValueCacheType | KeyValueCacheTypes;
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
