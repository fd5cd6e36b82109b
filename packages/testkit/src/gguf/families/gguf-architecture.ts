import type { ModelFamily } from '../../families/model-family.js';

/** The `general.architecture` llama.cpp loads a family as (real-models.md §7). */
export type GgufArchitecture = 'llama' | 'qwen2' | 'qwen3' | 'phi3' | 'gemma3';

/**
 * The GGUF architecture of a family, as llama.cpp's converter writes it: Llama 3, SmolLM2 and Mistral
 * are all `llama`; the others have their own loaders.
 */
export function ggufArchitectureOf(family: ModelFamily): GgufArchitecture {
  switch (family) {
    case 'llama':
    case 'llama3':
    case 'smollm2':
    case 'mistral':
      return 'llama';
    case 'qwen2':
    case 'qwen3':
    case 'phi3':
    case 'gemma3':
      return family;
  }
}

/**
 * True when llama.cpp rotates adjacent pairs (2j, 2j + 1) for this architecture (`LLAMA_ROPE_TYPE_NORM`),
 * so the converter permutes query and key rows; the NEOX architectures rotate (j, j + r/2) like Hugging
 * Face and are written unpermuted.
 */
export function rotatesAdjacentPairs(architecture: GgufArchitecture): boolean {
  return architecture === 'llama';
}
