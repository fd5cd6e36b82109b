import { InvalidOptionError, type RopeScaling } from '@sirllm/core';
import type { GgufValue } from '../gguf-value.js';
import type { GgufArchitecture } from './gguf-architecture.js';

/**
 * The `A.rope.scaling.*` keys of a scaling: none for no scaling and for Llama 3 (whose scaling is the
 * `rope_freqs.weight` tensor instead, and only the `llama` architecture loads that), the type and factor
 * for linear, and the YaRN parameters for YaRN. Other scalings cannot be written.
 */
export function ropeScalingMetadata(
  architecture: GgufArchitecture,
  scaling: RopeScaling | undefined,
): [string, GgufValue][] {
  if (!scaling || scaling.type === 'none') return [];
  const key = (suffix: string) => `${architecture}.rope.scaling.${suffix}`;
  switch (scaling.type) {
    case 'llama3':
      if (architecture === 'llama') return [];
      break;
    case 'linear':
      return [
        [key('type'), { type: 'string', value: 'linear' }],
        [key('factor'), { type: 'float32', value: scaling.factor }],
      ];
    case 'yarn':
      return [
        [key('type'), { type: 'string', value: 'yarn' }],
        [key('factor'), { type: 'float32', value: scaling.factor }],
        [key('original_context_length'), { type: 'uint32', value: scaling.originalMaxPositionEmbeddings }],
        [key('yarn_beta_fast'), { type: 'float32', value: scaling.betaFast ?? 32 }],
        [key('yarn_beta_slow'), { type: 'float32', value: scaling.betaSlow ?? 1 }],
      ];
  }
  throw new InvalidOptionError({
    option: 'model.config.rope.scaling',
    value: scaling.type,
    expected:
      architecture === 'llama'
        ? 'no scaling, linear, llama3 or yarn (the scalings this GGUF writer can express)'
        : `no scaling, linear or yarn (the scalings a ${architecture} GGUF can express; llama3 needs the llama architecture)`,
  });
}
