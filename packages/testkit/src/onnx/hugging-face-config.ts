import type { RopeScaling } from '@sirllm/core';
import type { TinyLlamaConfig } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';

/**
 * The Hugging Face `config.json` of a tiny Llama model (`model_type: "llama"`), with RoPE settings in
 * their usual keys (`rope_theta`, `partial_rotary_factor`, `rope_scaling`) and the testkit tokenizer's
 * special ids. Returns the JSON text.
 */
export function huggingFaceConfig(config: TinyLlamaConfig, tokenizer: ByteLevelTokenizer): string {
  const rotary = config.rope.rotaryDimensions ?? config.headDimension;
  const json: Record<string, unknown> = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: config.hiddenSize,
    intermediate_size: config.intermediateSize,
    num_hidden_layers: config.layers,
    num_attention_heads: config.attentionHeads,
    num_key_value_heads: config.keyValueHeads,
    head_dim: config.headDimension,
    vocab_size: config.vocabularySize,
    rms_norm_eps: config.rmsNormEpsilon,
    rope_theta: config.rope.theta,
    rope_scaling: ropeScalingJson(config.rope.scaling),
    max_position_embeddings: config.maximumPositionEmbeddings,
    tie_word_embeddings: config.tiedEmbeddings,
    hidden_act: 'silu',
    bos_token_id: tokenizer.specialTokenId('<s>'),
    eos_token_id: [tokenizer.specialTokenId('</s>'), tokenizer.specialTokenId('<|end|>')],
    torch_dtype: 'float32',
    use_cache: true,
  };
  if (rotary !== config.headDimension) json.partial_rotary_factor = rotary / config.headDimension;
  return `${JSON.stringify(json, null, 2)}\n`;
}

function ropeScalingJson(scaling: RopeScaling | undefined): Record<string, unknown> | null {
  if (!scaling || scaling.type === 'none') return null;
  switch (scaling.type) {
    case 'linear':
      return { rope_type: 'linear', factor: scaling.factor };
    case 'llama3':
      return {
        rope_type: 'llama3',
        factor: scaling.factor,
        low_freq_factor: scaling.lowFrequencyFactor,
        high_freq_factor: scaling.highFrequencyFactor,
        original_max_position_embeddings: scaling.originalMaxPositionEmbeddings,
      };
    case 'yarn':
      return {
        rope_type: 'yarn',
        factor: scaling.factor,
        original_max_position_embeddings: scaling.originalMaxPositionEmbeddings,
        ...(scaling.betaFast === undefined ? {} : { beta_fast: scaling.betaFast }),
        ...(scaling.betaSlow === undefined ? {} : { beta_slow: scaling.betaSlow }),
      };
    case 'dynamic':
      return { rope_type: 'dynamic', factor: scaling.factor };
    case 'other':
      return { rope_type: scaling.name };
  }
}
