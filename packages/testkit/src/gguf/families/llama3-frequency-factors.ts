import type { RopeScaling } from '@sirllm/core';

type Llama3Scaling = Extract<RopeScaling, { type: 'llama3' }>;

/**
 * The `rope_freqs.weight` values of a Llama 3 GGUF: one divisor per rotated pair, by which ggml divides
 * the unscaled angle θ^(−2i/d). Llama 3's scaling leaves short wavelengths (< original / high) alone
 * (1), divides long ones (> original / low) by `factor`, and blends in between with
 * s = (original / wavelength − low) / (high − low): the frequency becomes (1 − s)·f/factor + s·f, so
 * the divisor is 1 / ((1 − s)/factor + s). GGUF has no scaling keys for it: these factors are all of it.
 */
export function llama3FrequencyFactors(
  theta: number,
  rotaryDimensions: number,
  scaling: Llama3Scaling,
): Float32Array {
  const { factor, lowFrequencyFactor, highFrequencyFactor, originalMaxPositionEmbeddings } = scaling;
  const longestUnscaled = originalMaxPositionEmbeddings / highFrequencyFactor;
  const shortestFullyScaled = originalMaxPositionEmbeddings / lowFrequencyFactor;
  return Float32Array.from({ length: rotaryDimensions / 2 }, (_, pair) => {
    const wavelength = 2 * Math.PI * theta ** ((2 * pair) / rotaryDimensions);
    if (wavelength < longestUnscaled) return 1;
    if (wavelength > shortestFullyScaled) return factor;
    const smooth =
      (originalMaxPositionEmbeddings / wavelength - lowFrequencyFactor) /
      (highFrequencyFactor - lowFrequencyFactor);
    return 1 / ((1 - smooth) / factor + smooth);
  });
}
