import type { PositionShiftSupport } from '@sirllm/core';
import { metadataNumber, metadataString } from './gguf-metadata.js';

/** What the GGUF metadata says about moving cached keys, and why. */
export interface PositionShiftCapability {
  readonly support: PositionShiftSupport;
  /** The position scheme that decided it, e.g. `rope`, `yarn`, `mrope`, `sliding-window`. */
  readonly scheme: string;
  /** Why llama.cpp cannot move these keys and what to do instead (unsupported schemes only). */
  readonly advice?: string;
}

const recurrentArchitectures = new Set([
  'mamba',
  'mamba2',
  'rwkv6',
  'rwkv6qwen2',
  'rwkv7',
  'arwkv7',
  'jamba',
  'falcon-h1',
  'plamo2',
  'granitehybrid',
  'lfm2',
  'nemotron_h',
  'qwen3next',
]);
const multimodalRopeArchitectures = new Set(['qwen2vl', 'qwen25vl', 'qwen3vl', 'qwen3vlmoe']);
const latentAttentionArchitectures = new Set(['deepseek2', 'minicpm3', 'kimi-linear']);
const slidingWindowArchitectures = new Set(['gemma2', 'gemma3', 'gemma3n', 'cohere2', 'gpt-oss', 'llama4']);
/**
 * Architectures whose files carry `sliding_window` but whose llama.cpp loader switches sliding-window
 * attention off: Phi-3 (`src/models/phi3.cpp` sets no window, with a warning), so every layer attends
 * to the whole cache and shifting is plain RoPE.
 */
const slidingWindowIgnoredArchitectures = new Set(['phi3']);

const slidingWindowAdvice =
  'llama.cpp keeps sliding-window layers in a cache that reuses the cells of keys that left the window, so ' +
  'after compaction those layers no longer see what a fresh evaluation of the kept tokens would. ' +
  'Run this model on the transformers.js backend (@sirllm/transformers), or use it on llama.cpp without ' +
  'eviction (policy full()).';

/**
 * Decides from GGUF metadata (flat `key → value` with the architecture prefix, e.g. `llama.rope.freq_base`)
 * whether llama.cpp can move cached keys exactly, only approximately (llama.cpp re-applies a magnitude
 * factor to the rotated keys on every shift: YaRN, or an explicit `rope.scaling.attn_factor` as in Phi-3
 * LongRoPE files), or not at all (M-RoPE, multi-head latent attention, sliding-window attention,
 * recurrent state). Llama 3's scaling lives in the `rope_freqs` tensor, which the shift reuses: exact.
 * node-llama-cpp does not check `llama_memory_can_shift`; this does, before anything is evaluated.
 */
export function positionShiftCapability(
  architecture: string,
  metadata: ReadonlyMap<string, unknown>,
): PositionShiftCapability {
  const key = (suffix: string) => metadata.get(`${architecture}.${suffix}`);
  const number = (suffix: string) => metadataNumber(metadata, `${architecture}.${suffix}`);
  if (
    recurrentArchitectures.has(architecture) ||
    key('ssm.conv_kernel') !== undefined ||
    key('wkv.head_size') !== undefined
  ) {
    return { support: 'unsupported', scheme: 'recurrent' };
  }
  if (multimodalRopeArchitectures.has(architecture) || key('rope.dimension_sections') !== undefined) {
    return { support: 'unsupported', scheme: 'mrope' };
  }
  if (latentAttentionArchitectures.has(architecture) || key('attention.kv_lora_rank') !== undefined) {
    return { support: 'unsupported', scheme: 'multi-head latent attention' };
  }
  const window = number('attention.sliding_window') ?? 0;
  if (
    slidingWindowArchitectures.has(architecture) ||
    (window > 0 && !slidingWindowIgnoredArchitectures.has(architecture))
  ) {
    return { support: 'unsupported', scheme: 'sliding-window', advice: slidingWindowAdvice };
  }
  const scaling = metadataString(metadata, `${architecture}.rope.scaling.type`);
  if (scaling === 'yarn') return { support: 'approximate', scheme: 'yarn' };
  if (scaling !== undefined && scaling !== 'none' && scaling !== 'linear') {
    return { support: 'unsupported', scheme: scaling };
  }
  // Only LongRoPE (Phi-3 128k, Phi-3.5) files carry it: llama.cpp multiplies the keys by it per shift.
  const attentionFactor = number('rope.scaling.attn_factor');
  if (attentionFactor !== undefined && attentionFactor !== 1) {
    return { support: 'approximate', scheme: 'longrope' };
  }
  return { support: 'exact', scheme: scaling === 'linear' ? 'linear' : 'rope' };
}
