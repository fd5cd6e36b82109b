import type { TinyLlamaConfig } from '../../tiny-llama/tiny-llama-model.js';
import type { GgufValue } from '../gguf-value.js';
import type { GgufArchitecture } from './gguf-architecture.js';
import { ropeScalingMetadata } from './rope-scaling-metadata.js';

/**
 * The `A.*` hyperparameter keys of a model for GGUF architecture `A`, as llama.cpp's loaders read them
 * (real-models.md §1, §2): sizes, epsilon, RoPE base, rotated dimensions and scaling; the head sizes when
 * they are not width / heads (Qwen 3, Gemma 3); Gemma 3's window, layer pattern and local RoPE base;
 * Phi-3's `sliding_window`, which the real files carry but llama.cpp switches off.
 */
export function familyMetadata(
  config: TinyLlamaConfig,
  architecture: GgufArchitecture,
): [string, GgufValue][] {
  const key = (suffix: string) => `${architecture}.${suffix}`;
  const uint32 = (suffix: string, value: number): [string, GgufValue] => [
    key(suffix),
    { type: 'uint32', value },
  ];
  const float32 = (suffix: string, value: number): [string, GgufValue] => [
    key(suffix),
    { type: 'float32', value },
  ];
  const metadata: [string, GgufValue][] = [];
  if (architecture === 'llama') metadata.push(uint32('vocab_size', config.vocabularySize));
  metadata.push(
    uint32('context_length', config.maximumPositionEmbeddings),
    uint32('embedding_length', config.hiddenSize),
    uint32('block_count', config.layers),
    uint32('feed_forward_length', config.intermediateSize),
    uint32('attention.head_count', config.attentionHeads),
    uint32('attention.head_count_kv', config.keyValueHeads),
  );
  if (config.headDimension * config.attentionHeads !== config.hiddenSize) {
    metadata.push(
      uint32('attention.key_length', config.headDimension),
      uint32('attention.value_length', config.headDimension),
    );
  }
  metadata.push(
    float32('attention.layer_norm_rms_epsilon', config.rmsNormEpsilon),
    float32('rope.freq_base', config.rope.theta),
    uint32('rope.dimension_count', config.rope.rotaryDimensions ?? config.headDimension),
    ...ropeScalingMetadata(architecture, config.rope.scaling),
  );
  const sliding = config.architecture.slidingWindow;
  if (sliding !== undefined) {
    // llama.cpp's own layer rule: layer l slides iff l % pattern < pattern − 1 (every pattern-th is global).
    metadata.push(
      uint32('attention.sliding_window', sliding.window),
      uint32('attention.sliding_window_pattern', sliding.pattern),
      float32('rope.freq_base_swa', sliding.localTheta),
    );
  } else if (architecture === 'phi3') {
    // Phi-3 files carry a window (2047 in the 4k model); llama.cpp ignores it. This one spans the whole
    // context, so every runtime that would honour it computes the same full attention as the reference.
    metadata.push(uint32('attention.sliding_window', config.maximumPositionEmbeddings));
  }
  return metadata;
}
