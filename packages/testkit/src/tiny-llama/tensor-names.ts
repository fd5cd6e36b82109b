import type { TinyLlamaConfig } from './tiny-llama-model.js';

/** Hugging Face names of one decoder layer's tensors. */
export function layerTensorNames(layer: number) {
  const prefix = `model.layers.${layer}`;
  return {
    inputNorm: `${prefix}.input_layernorm.weight`,
    query: `${prefix}.self_attn.q_proj.weight`,
    key: `${prefix}.self_attn.k_proj.weight`,
    value: `${prefix}.self_attn.v_proj.weight`,
    output: `${prefix}.self_attn.o_proj.weight`,
    postAttentionNorm: `${prefix}.post_attention_layernorm.weight`,
    gate: `${prefix}.mlp.gate_proj.weight`,
    up: `${prefix}.mlp.up_proj.weight`,
    down: `${prefix}.mlp.down_proj.weight`,
  } as const;
}

export const embeddingTensorName = 'model.embed_tokens.weight';
export const finalNormTensorName = 'model.norm.weight';
export const outputHeadTensorName = 'lm_head.weight';

/** Every tensor name and shape of a model with this config, in canonical (file) order. */
export function tinyLlamaTensorShapes(config: TinyLlamaConfig): [name: string, shape: number[]][] {
  const { hiddenSize, vocabularySize, intermediateSize, headDimension } = config;
  const queryWidth = config.attentionHeads * headDimension;
  const keyValueWidth = config.keyValueHeads * headDimension;
  const shapes: [string, number[]][] = [[embeddingTensorName, [vocabularySize, hiddenSize]]];
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer);
    shapes.push(
      [names.inputNorm, [hiddenSize]],
      [names.query, [queryWidth, hiddenSize]],
      [names.key, [keyValueWidth, hiddenSize]],
      [names.value, [keyValueWidth, hiddenSize]],
      [names.output, [hiddenSize, queryWidth]],
      [names.postAttentionNorm, [hiddenSize]],
      [names.gate, [intermediateSize, hiddenSize]],
      [names.up, [intermediateSize, hiddenSize]],
      [names.down, [hiddenSize, intermediateSize]],
    );
  }
  shapes.push([finalNormTensorName, [hiddenSize]]);
  if (!config.tiedEmbeddings) shapes.push([outputHeadTensorName, [vocabularySize, hiddenSize]]);
  return shapes;
}

/** Every tensor name of a model with this config, in canonical (file) order. */
export function tinyLlamaTensorNames(config: TinyLlamaConfig): string[] {
  return tinyLlamaTensorShapes(config).map(([name]) => name);
}
