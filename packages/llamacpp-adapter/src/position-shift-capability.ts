import type { PositionShiftSupport } from '@sirllm/core';

/** What the GGUF metadata says about moving cached keys, and why. */
export interface PositionShiftCapability {
  readonly support: PositionShiftSupport;
  /** The position scheme that decided it, e.g. `rope`, `yarn`, `mrope`, `sliding-window`. */
  readonly scheme: string;
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
 * Decides from GGUF metadata (flat `key → value` with the architecture prefix, e.g. `llama.rope.freq_base`)
 * whether llama.cpp can move cached keys exactly, only approximately (YaRN: llama.cpp re-applies the
 * magnitude factor on every shift), or not at all (M-RoPE, multi-head latent attention, sliding-window
 * attention, recurrent state). node-llama-cpp does not check `llama_memory_can_shift`; this does,
 * before anything is evaluated.
 */
export function positionShiftCapability(
  architecture: string,
  metadata: ReadonlyMap<string, unknown>,
): PositionShiftCapability {
  const key = (suffix: string) => metadata.get(`${architecture}.${suffix}`);
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
  const window = key('attention.sliding_window');
  if (slidingWindowArchitectures.has(architecture) || (typeof window === 'number' && window > 0)) {
    return { support: 'unsupported', scheme: 'sliding-window' };
  }
  const scaling = key('rope.scaling.type');
  if (scaling === 'yarn') return { support: 'approximate', scheme: 'yarn' };
  if (scaling !== undefined && scaling !== 'none' && scaling !== 'linear') {
    return { support: 'unsupported', scheme: String(scaling) };
  }
  return { support: 'exact', scheme: scaling === 'linear' ? 'linear' : 'rope' };
}
