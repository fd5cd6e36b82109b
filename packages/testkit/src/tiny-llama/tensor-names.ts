import { type ArchitectureFeatures, llamaArchitecture } from '../families/architecture-features.js';
import type { TinyLlamaConfig } from './tiny-llama-model.js';

/**
 * Hugging Face names of one decoder layer's tensors, by role. Roles a family does not have are
 * undefined. `feedForwardNorm` is the norm before the MLP: Llama's `post_attention_layernorm`, Gemma's
 * `pre_feedforward_layernorm` (Gemma's `post_attention_layernorm` normalises the attention output).
 */
export interface LayerTensorNames {
  readonly inputNorm: string;
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly output: string;
  readonly queryBias: string | undefined;
  readonly keyBias: string | undefined;
  readonly valueBias: string | undefined;
  readonly queryNorm: string | undefined;
  readonly keyNorm: string | undefined;
  readonly attentionOutputNorm: string | undefined;
  readonly feedForwardNorm: string;
  readonly feedForwardOutputNorm: string | undefined;
  readonly gate: string;
  readonly up: string;
  readonly down: string;
}

/** Hugging Face names of one decoder layer's tensors for a model with these features. */
export function layerTensorNames(
  layer: number,
  features: ArchitectureFeatures = llamaArchitecture,
): LayerTensorNames {
  const prefix = `model.layers.${layer}`;
  const attention = `${prefix}.self_attn`;
  const when = (present: boolean, name: string) => (present ? name : undefined);
  return {
    inputNorm: `${prefix}.input_layernorm.weight`,
    query: `${attention}.q_proj.weight`,
    key: `${attention}.k_proj.weight`,
    value: `${attention}.v_proj.weight`,
    output: `${attention}.o_proj.weight`,
    queryBias: when(features.attentionBias, `${attention}.q_proj.bias`),
    keyBias: when(features.attentionBias, `${attention}.k_proj.bias`),
    valueBias: when(features.attentionBias, `${attention}.v_proj.bias`),
    queryNorm: when(features.queryKeyNorm, `${attention}.q_norm.weight`),
    keyNorm: when(features.queryKeyNorm, `${attention}.k_norm.weight`),
    attentionOutputNorm: when(features.sandwichNorms, `${prefix}.post_attention_layernorm.weight`),
    feedForwardNorm: features.sandwichNorms
      ? `${prefix}.pre_feedforward_layernorm.weight`
      : `${prefix}.post_attention_layernorm.weight`,
    feedForwardOutputNorm: when(features.sandwichNorms, `${prefix}.post_feedforward_layernorm.weight`),
    gate: `${prefix}.mlp.gate_proj.weight`,
    up: `${prefix}.mlp.up_proj.weight`,
    down: `${prefix}.mlp.down_proj.weight`,
  };
}

export const embeddingTensorName = 'model.embed_tokens.weight';
export const finalNormTensorName = 'model.norm.weight';
export const outputHeadTensorName = 'lm_head.weight';

/** Every tensor name and shape of a model with this config, in canonical (file) order. */
export function tinyLlamaTensorShapes(config: TinyLlamaConfig): [name: string, shape: number[]][] {
  const { hiddenSize, vocabularySize, intermediateSize, headDimension, architecture } = config;
  const queryWidth = config.attentionHeads * headDimension;
  const keyValueWidth = config.keyValueHeads * headDimension;
  const shapes: [string, number[]][] = [[embeddingTensorName, [vocabularySize, hiddenSize]]];
  const optional = (name: string | undefined, shape: number[]) => {
    if (name !== undefined) shapes.push([name, shape]);
  };
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer, architecture);
    shapes.push(
      [names.inputNorm, [hiddenSize]],
      [names.query, [queryWidth, hiddenSize]],
      [names.key, [keyValueWidth, hiddenSize]],
      [names.value, [keyValueWidth, hiddenSize]],
    );
    optional(names.queryBias, [queryWidth]);
    optional(names.keyBias, [keyValueWidth]);
    optional(names.valueBias, [keyValueWidth]);
    optional(names.queryNorm, [headDimension]);
    optional(names.keyNorm, [headDimension]);
    shapes.push([names.output, [hiddenSize, queryWidth]]);
    optional(names.attentionOutputNorm, [hiddenSize]);
    shapes.push(
      [names.feedForwardNorm, [hiddenSize]],
      [names.gate, [intermediateSize, hiddenSize]],
      [names.up, [intermediateSize, hiddenSize]],
      [names.down, [hiddenSize, intermediateSize]],
    );
    optional(names.feedForwardOutputNorm, [hiddenSize]);
  }
  shapes.push([finalNormTensorName, [hiddenSize]]);
  if (!config.tiedEmbeddings) shapes.push([outputHeadTensorName, [vocabularySize, hiddenSize]]);
  return shapes;
}

/** Every tensor name of a model with this config, in canonical (file) order. */
export function tinyLlamaTensorNames(config: TinyLlamaConfig): string[] {
  return tinyLlamaTensorShapes(config).map(([name]) => name);
}

/** True for a norm weight (every one-dimensional tensor that is not a bias). */
export function isNormTensorName(name: string): boolean {
  return name.endsWith('norm.weight') || name.endsWith('layernorm.weight');
}
