import type { TinyLlamaOptions } from '../tiny-llama/tiny-llama-options.js';
import { type ArchitectureFeatures, llamaArchitecture } from './architecture-features.js';
import type { ModelFamily } from './model-family.js';

/**
 * The tiny shape every family but `llama` starts from: 2 layers, width 64, MLP 128, heads of 32 — small
 * enough for CI, and every matrix width a multiple of 32 so Q8_0 / Q4_0 blocks fit and a q8_0 KV cache
 * (head size a multiple of its block) works.
 */
const tinyShape = {
  layers: 2,
  hiddenSize: 64,
  intermediateSize: 128,
  attentionHeads: 2,
  keyValueHeads: 1,
} as const satisfies TinyLlamaOptions;

/** The real vocabulary size of Llama 3.x (`tokenizer.ggml.tokens` / `vocab_size`). */
export const llama3VocabularySize = 128256;

/**
 * The defaults a family puts under the caller's options: RoPE base and scaling, epsilon, tied or
 * untied head, head layout and (Llama 3) vocabulary size, taken from the real models' `config.json`
 * (see `../shared/notes/real-models.md` §2). Widths and depths are tiny; the structure is the family's.
 */
export function familyDefaults(family: ModelFamily): TinyLlamaOptions {
  switch (family) {
    case 'llama':
      return {};
    case 'llama3':
      return {
        ...tinyShape,
        vocabularySize: llama3VocabularySize,
        rmsNormEpsilon: 1e-5,
        rope: {
          theta: 500000,
          scaling: {
            type: 'llama3',
            factor: 8,
            lowFrequencyFactor: 1,
            highFrequencyFactor: 4,
            originalMaxPositionEmbeddings: 8192,
          },
        },
      };
    case 'smollm2':
      return { ...tinyShape, rmsNormEpsilon: 1e-5, rope: { theta: 100000 } };
    case 'mistral':
      return { ...tinyShape, rmsNormEpsilon: 1e-5, rope: { theta: 1000000 }, tiedEmbeddings: false };
    case 'qwen2':
      return { ...tinyShape, rmsNormEpsilon: 1e-6, rope: { theta: 1000000 } };
    case 'qwen3':
      // Qwen 3's head size is decoupled from the width: 4 heads of 32 on a width of 64.
      return {
        ...tinyShape,
        attentionHeads: 4,
        keyValueHeads: 2,
        headDimension: 32,
        rmsNormEpsilon: 1e-6,
        rope: { theta: 1000000 },
      };
    case 'phi3':
      // Phi-3-mini is multi-head attention (as many key/value heads as query heads), untied.
      return {
        ...tinyShape,
        keyValueHeads: 2,
        rmsNormEpsilon: 1e-5,
        rope: { theta: 10000 },
        tiedEmbeddings: false,
      };
    case 'gemma3':
      // Gemma 3 1B: one key/value head, head size decoupled from the width, global θ 1e6.
      return {
        ...tinyShape,
        attentionHeads: 4,
        keyValueHeads: 1,
        headDimension: 32,
        rmsNormEpsilon: 1e-6,
        rope: { theta: 1000000 },
      };
  }
}

/** The structural features of a family (see {@link ArchitectureFeatures}). */
export function familyArchitecture(family: ModelFamily): ArchitectureFeatures {
  switch (family) {
    case 'llama':
    case 'llama3':
    case 'smollm2':
    case 'mistral':
      return llamaArchitecture;
    case 'qwen2':
      return { ...llamaArchitecture, attentionBias: true };
    case 'qwen3':
      return { ...llamaArchitecture, queryKeyNorm: true };
    case 'phi3':
      return { ...llamaArchitecture, fusedProjections: true };
    case 'gemma3':
      // Tiny window and pattern (real: 512 or 1024, pattern 6) so a short test crosses both.
      return {
        attentionBias: false,
        queryKeyNorm: true,
        normWeight: 'offset',
        sandwichNorms: true,
        activation: 'gelu-tanh',
        scaledEmbedding: true,
        fusedProjections: false,
        slidingWindow: { window: 8, pattern: 2, localTheta: 10000 },
      };
  }
}
