import type { RopeScaling } from '@sirllm/core';
import type { FamilyChatFormat } from '../chat/chat-format.js';
import { testkitChatFormat } from '../chat/testkit-chat-template.js';
import { isSlidingLayer } from '../families/architecture-features.js';
import type { ModelFamily } from '../families/model-family.js';
import type { TinyLlamaConfig } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';

/** The `model_type` and `architectures` entry transformers.js picks a model class by, per family. */
const modelTypes: Readonly<Record<ModelFamily, { modelType: string; architecture: string }>> = {
  llama: { modelType: 'llama', architecture: 'LlamaForCausalLM' },
  llama3: { modelType: 'llama', architecture: 'LlamaForCausalLM' },
  smollm2: { modelType: 'llama', architecture: 'LlamaForCausalLM' },
  mistral: { modelType: 'mistral', architecture: 'MistralForCausalLM' },
  qwen2: { modelType: 'qwen2', architecture: 'Qwen2ForCausalLM' },
  qwen3: { modelType: 'qwen3', architecture: 'Qwen3ForCausalLM' },
  phi3: { modelType: 'phi3', architecture: 'Phi3ForCausalLM' },
  gemma3: { modelType: 'gemma3_text', architecture: 'Gemma3ForCausalLM' },
};

/**
 * The Hugging Face `config.json` of a tiny model, with the keys the real family's config has (see
 * `../shared/notes/real-models.md` §2): `model_type` and `architectures` per family (`llama` for Llama,
 * Llama 3 and SmolLM2; `mistral`, `qwen2`, `qwen3`, `phi3`, `gemma3_text`), RoPE settings in their
 * usual keys (`rope_theta`, `partial_rotary_factor`, `rope_scaling`), `head_dim`, the family's flags
 * (Qwen's `use_sliding_window`, Gemma 3's `sliding_window`, `sliding_window_pattern`, `layer_types`,
 * `rope_local_base_freq`, `query_pre_attn_scalar`, `hidden_activation`…) and the special ids of the chat
 * format (`format`, default the testkit one). Returns the JSON text.
 */
export function huggingFaceConfig(
  config: TinyLlamaConfig,
  tokenizer: ByteLevelTokenizer,
  format: FamilyChatFormat = testkitChatFormat,
): string {
  const rotary = config.rope.rotaryDimensions ?? config.headDimension;
  const { modelType, architecture } = modelTypes[config.family];
  const json: Record<string, unknown> = {
    architectures: [architecture],
    model_type: modelType,
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
    ...(config.architecture.activation === 'silu' ? { hidden_act: 'silu' } : {}),
    bos_token_id: format.bosToken === undefined ? null : tokenizer.specialTokenId(format.bosToken),
    eos_token_id: [
      ...new Set([
        tokenizer.specialTokenId(format.eosToken),
        tokenizer.specialTokenId(format.endOfTurnToken),
      ]),
    ],
    torch_dtype: 'float32',
    use_cache: true,
    ...familyKeys(config),
  };
  if (rotary !== config.headDimension) json.partial_rotary_factor = rotary / config.headDimension;
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The keys only some model types have, as their real configs write them. */
function familyKeys(config: TinyLlamaConfig): Record<string, unknown> {
  switch (config.family) {
    case 'llama':
    case 'llama3':
    case 'smollm2':
      return {};
    case 'mistral':
      return { sliding_window: null };
    case 'qwen2':
      return {
        use_sliding_window: false,
        sliding_window: config.maximumPositionEmbeddings,
        max_window_layers: config.layers,
      };
    case 'qwen3':
      return {
        attention_bias: false,
        use_sliding_window: false,
        sliding_window: null,
        max_window_layers: config.layers,
      };
    case 'phi3':
      return {
        original_max_position_embeddings: config.maximumPositionEmbeddings,
        sliding_window: null,
        partial_rotary_factor: 1,
      };
    case 'gemma3': {
      const sliding = config.architecture.slidingWindow;
      const layerTypes = Array.from({ length: config.layers }, (_, layer) =>
        isSlidingLayer(config.architecture, layer) ? 'sliding_attention' : 'full_attention',
      );
      return {
        hidden_activation: 'gelu_pytorch_tanh',
        attention_bias: false,
        query_pre_attn_scalar: config.headDimension,
        sliding_window: sliding?.window ?? null,
        sliding_window_pattern: sliding?.pattern ?? 1,
        layer_types: layerTypes,
        rope_local_base_freq: sliding?.localTheta ?? config.rope.theta,
        final_logit_softcapping: null,
        attn_logit_softcapping: null,
      };
    }
  }
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
