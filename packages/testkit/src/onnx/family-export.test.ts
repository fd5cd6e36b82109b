import { describe, expect, it } from 'vitest';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { huggingFaceConfig } from './hugging-face-config.js';
import { writeLlamaOnnx } from './llama-onnx-graph.js';
import { summarizeGraph } from './read-onnx.test-helper.js';

const tokenizer = createTokenizer();
const configOf = (family: Parameters<typeof createTinyLlama>[0]) =>
  JSON.parse(huggingFaceConfig(createTinyLlama(family).config, tokenizer));

describe('config.json per model_type', () => {
  it('llama keeps exactly the keys it always had', () => {
    const model = createTinyLlama({ hiddenSize: 64 });
    expect(JSON.parse(huggingFaceConfig(model.config, tokenizer))).toEqual({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: 64,
      intermediate_size: 64,
      num_hidden_layers: 1,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 16,
      vocab_size: model.config.vocabularySize,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      rope_scaling: null,
      max_position_embeddings: 4096,
      tie_word_embeddings: true,
      hidden_act: 'silu',
      bos_token_id: tokenizer.specialTokenId('<s>'),
      eos_token_id: [tokenizer.specialTokenId('</s>'), tokenizer.specialTokenId('<|end|>')],
      torch_dtype: 'float32',
      use_cache: true,
    });
  });

  it('each family names the model type and class transformers.js maps it to', () => {
    const expected = {
      llama3: ['llama', 'LlamaForCausalLM'],
      smollm2: ['llama', 'LlamaForCausalLM'],
      mistral: ['mistral', 'MistralForCausalLM'],
      qwen2: ['qwen2', 'Qwen2ForCausalLM'],
      qwen3: ['qwen3', 'Qwen3ForCausalLM'],
      phi3: ['phi3', 'Phi3ForCausalLM'],
      gemma3: ['gemma3_text', 'Gemma3ForCausalLM'],
    } as const;
    for (const [family, [modelType, architecture]] of Object.entries(expected)) {
      const config = configOf({ family: family as keyof typeof expected });
      expect(config.model_type, family).toBe(modelType);
      expect(config.architectures, family).toEqual([architecture]);
    }
  });

  it('Llama 3: llama3 RoPE scaling and the real vocabulary size', () => {
    expect(configOf({ family: 'llama3' })).toMatchObject({
      vocab_size: 128256,
      rope_theta: 500000,
      rope_scaling: {
        rope_type: 'llama3',
        factor: 8,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    });
  });

  it('Qwen 3: head_dim 32 on a width of 64 with 4 heads, no biases, no sliding window', () => {
    expect(configOf({ family: 'qwen3' })).toMatchObject({
      hidden_size: 64,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 32,
      attention_bias: false,
      use_sliding_window: false,
      rope_theta: 1000000,
      rms_norm_eps: 1e-6,
    });
  });

  it('Gemma 3: window, pattern, layer types, local base, query scalar, GELU tanh, no soft-capping', () => {
    const config = configOf({ family: 'gemma3', layers: 4 });
    expect(config).toMatchObject({
      head_dim: 32,
      num_attention_heads: 4,
      num_key_value_heads: 1,
      sliding_window: 8,
      sliding_window_pattern: 2,
      layer_types: ['sliding_attention', 'full_attention', 'sliding_attention', 'full_attention'],
      rope_local_base_freq: 10000,
      rope_theta: 1000000,
      query_pre_attn_scalar: 32,
      hidden_activation: 'gelu_pytorch_tanh',
      final_logit_softcapping: null,
      attn_logit_softcapping: null,
      attention_bias: false,
    });
    expect(config).not.toHaveProperty('hidden_act');
  });
});

describe('family graphs', () => {
  const operators = (bytes: Uint8Array) => summarizeGraph(bytes).nodes.map((node) => node.operator);
  const count = (list: string[], operator: string) => list.filter((name) => name === operator).length;

  it('Phi-3: one fused qkv MatMul and one fused gate_up MatMul per layer, each cut by Split', () => {
    const model = createTinyLlama({ family: 'phi3' });
    const graph = summarizeGraph(writeLlamaOnnx(model));
    const { hiddenSize, intermediateSize, headDimension, attentionHeads, keyValueHeads } = model.config;
    expect(graph.initializers.get('model.layers.0.self_attn.qkv_proj.weight.transposed')).toEqual([
      hiddenSize,
      (attentionHeads + 2 * keyValueHeads) * headDimension,
    ]);
    expect(graph.initializers.get('model.layers.1.mlp.gate_up_proj.weight.transposed')).toEqual([
      hiddenSize,
      2 * intermediateSize,
    ]);
    expect(graph.initializers.has('model.layers.0.self_attn.q_proj.weight.transposed')).toBe(false);
    expect(count(operators(writeLlamaOnnx(model)), 'Split')).toBe(2 * model.config.layers);
  });

  it('Qwen 2: query, key and value biases in the graph', () => {
    const graph = summarizeGraph(writeLlamaOnnx(createTinyLlama({ family: 'qwen2' })));
    for (const part of ['q', 'k', 'v']) {
      expect(graph.initializers.has(`model.layers.0.self_attn.${part}_proj.bias`)).toBe(true);
    }
    expect(graph.initializers.has('model.layers.0.self_attn.o_proj.bias')).toBe(false);
  });

  it('Gemma 3 (optimum style): no position_ids, a sliding mask, a local and a global RoPE table', () => {
    const bytes = writeLlamaOnnx(createTinyLlama({ family: 'gemma3' }));
    const graph = summarizeGraph(bytes);
    expect(graph.inputs).not.toContain('position_ids');
    expect(graph.inputs.slice(0, 2)).toEqual(['input_ids', 'attention_mask']);
    expect(graph.initializers.get('rope_cos')).toEqual([4096, 32]);
    expect(graph.initializers.get('rope_local_cos')).toEqual([4096, 32]);
    expect(graph.initializers.has('sliding_window')).toBe(true);
    expect(count(operators(bytes), 'Tanh')).toBe(2); // GELU tanh in each layer's MLP
  });

  it('Gemma 3 (GroupQueryAttention style): local_window_size on the sliding layers only', () => {
    const bytes = writeLlamaOnnx(createTinyLlama({ family: 'gemma3', layers: 4 }), {
      style: 'group-query-attention',
    });
    const fused = summarizeGraph(bytes).nodes.filter((node) => node.operator === 'GroupQueryAttention');
    expect(fused.map((node) => node.integers.get('local_window_size'))).toEqual([
      8n,
      undefined,
      8n,
      undefined,
    ]);
    // Sliding layers read the local cos/sin caches, global layers the global ones.
    expect(fused.map((node) => node.inputs[7])).toEqual([
      'rope_local_cos_cache',
      'rope_cos_cache',
      'rope_local_cos_cache',
      'rope_cos_cache',
    ]);
  });

  it('Phi-3 (GroupQueryAttention style): the packed projection goes to the fused node as it is', () => {
    const bytes = writeLlamaOnnx(createTinyLlama({ family: 'phi3' }), { style: 'group-query-attention' });
    const fused = summarizeGraph(bytes).nodes.filter((node) => node.operator === 'GroupQueryAttention');
    expect(fused.map((node) => node.inputs.slice(1, 3))).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });
});
