import { type RopeSettings, ropeInverseFrequencies } from '@sirllm/core';

/** Cosine and sine tables for every position below `positions`. */
export interface RotaryCosineSine {
  readonly positions: number;
  /** Entries per position. */
  readonly width: number;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
}

/**
 * RoPE tables of one set of settings (a model's, or one layer's: Gemma 3's sliding layers have their
 * own), computed in float64 and rounded once. `full`: one entry per head dimension in the rotate-half
 * layout (each frequency twice; past the rotary part cos = 1, sin = 0). `half`: one entry per rotated
 * pair (the `cos_cache` / `sin_cache` of GroupQueryAttention). YaRN's magnitude factor is folded in,
 * as Hugging Face does.
 */
export function rotaryCosineSine(
  rope: RopeSettings,
  positions: number,
  layout: 'full' | 'half',
): RotaryCosineSine {
  const frequencies = ropeInverseFrequencies(rope);
  const half = frequencies.length;
  const scaling = rope.scaling;
  const magnitude = scaling?.type === 'yarn' && scaling.factor > 1 ? 0.1 * Math.log(scaling.factor) + 1 : 1;
  const width = layout === 'full' ? rope.headDimension : half;
  const cos = new Float32Array(positions * width);
  const sin = new Float32Array(positions * width);
  for (let position = 0; position < positions; position++) {
    const row = position * width;
    if (layout === 'full') cos.fill(1, row, row + width);
    for (let i = 0; i < half; i++) {
      const angle = position * (frequencies[i] as number);
      const c = Math.cos(angle) * magnitude;
      const s = Math.sin(angle) * magnitude;
      cos[row + i] = c;
      sin[row + i] = s;
      if (layout === 'full') {
        cos[row + i + half] = c;
        sin[row + i + half] = s;
      }
    }
  }
  return { positions, width, cos, sin };
}
