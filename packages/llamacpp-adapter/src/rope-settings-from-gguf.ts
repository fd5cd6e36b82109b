import type { RopeScaling, RopeSettings } from '@sirllm/core';
import { metadataNumber, metadataString } from './gguf-metadata.js';

/**
 * The model's RoPE settings in SirLLM's vocabulary, read from flat GGUF metadata; undefined if unknown.
 * The head size is `key_length` when written (Qwen 3 and Gemma 3 decouple it from the width), else
 * width / heads. What metadata cannot say: Llama 3's scaling is the `rope_freqs` tensor (per-pair
 * divisors, no keys), so a Llama 3 file reports its base θ unscaled; Gemma 3's sliding layers use
 * `rope.freq_base_swa`, so the settings are those of its global layers. llama.cpp shifts with its own
 * tables either way; these settings describe the model, they do not drive the shift.
 */
export function ropeSettingsFromGguf(
  architecture: string,
  metadata: ReadonlyMap<string, unknown>,
): RopeSettings | undefined {
  const number = (suffix: string) => metadataNumber(metadata, `${architecture}.${suffix}`);
  const width = number('embedding_length');
  const heads = number('attention.head_count');
  const headDimension = number('attention.key_length') ?? (width && heads ? width / heads : undefined);
  if (headDimension === undefined || !Number.isInteger(headDimension)) return undefined;
  const rotaryDimensions = number('rope.dimension_count');
  const scaling = scalingFromGguf(architecture, metadata);
  return {
    theta: number('rope.freq_base') ?? 10000,
    headDimension,
    ...(rotaryDimensions !== undefined && rotaryDimensions !== headDimension ? { rotaryDimensions } : {}),
    ...(scaling ? { scaling } : {}),
  };
}

function scalingFromGguf(
  architecture: string,
  metadata: ReadonlyMap<string, unknown>,
): RopeScaling | undefined {
  const type = metadataString(metadata, `${architecture}.rope.scaling.type`);
  const factor = metadataNumber(metadata, `${architecture}.rope.scaling.factor`) ?? 1;
  if (type === undefined || type === 'none') return undefined;
  if (type === 'linear') return { type: 'linear', factor };
  if (type === 'yarn') {
    const original = metadataNumber(metadata, `${architecture}.rope.scaling.original_context_length`);
    const betaFast = metadataNumber(metadata, `${architecture}.rope.scaling.yarn_beta_fast`);
    const betaSlow = metadataNumber(metadata, `${architecture}.rope.scaling.yarn_beta_slow`);
    return {
      type: 'yarn',
      factor,
      originalMaxPositionEmbeddings: original ?? 0,
      ...(betaFast !== undefined ? { betaFast } : {}),
      ...(betaSlow !== undefined ? { betaSlow } : {}),
    };
  }
  return { type: 'other', name: type };
}
