import { describe, expect, it } from 'vitest';
import type { ModelFamily } from '../families/model-family.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import { llama3FrequencyFactors } from './families/llama3-frequency-factors.js';
import { type ParsedGguf, readGguf } from './read-gguf.test-helper.js';
import { tinyLlamaToGguf } from './tiny-llama-gguf.js';

/** A family model written to GGUF and parsed back, with a reader for its f32 tensors. */
function written(family: ModelFamily, seed = 1) {
  const model = createTinyLlama({ family, seed, ...(family === 'llama3' ? { vocabularySize: 600 } : {}) });
  const bytes = tinyLlamaToGguf(model);
  const parsed = readGguf(bytes);
  const info = (name: string) => {
    const tensor = parsed.tensors.find((candidate) => candidate.name === name);
    if (!tensor) throw new Error(`no tensor ${name}`);
    return tensor;
  };
  const data = (name: string) => {
    const tensor = info(name);
    expect(tensor.type).toBe(0);
    const count = tensor.dimensions.reduce((product, extent) => product * extent, 1);
    const start = bytes.byteOffset + parsed.dataStart + tensor.offset;
    return new Float32Array(bytes.buffer.slice(start, start + 4 * count));
  };
  return { model, parsed, info, data, names: parsed.tensors.map((tensor) => tensor.name) };
}

function weights(model: TinyLlamaModel, name: string): Float32Array {
  const tensor = model.tensors.get(name);
  if (!tensor) throw new Error(`no model tensor ${name}`);
  return tensor.data;
}

function concatenated(...parts: Float32Array[]): Float32Array {
  return Float32Array.from(parts.flatMap((part) => Array.from(part)));
}

function keysUnder(parsed: ParsedGguf, prefix: string): string[] {
  return [...parsed.metadata.keys()].filter((key) => key.startsWith(prefix));
}

const layer0 = 'model.layers.0';

describe('tinyLlamaToGguf per family', () => {
  it('writes the GGUF architecture llama.cpp loads each family as', () => {
    const architectures = Object.fromEntries(
      (['llama', 'llama3', 'smollm2', 'mistral', 'qwen2', 'qwen3', 'phi3', 'gemma3'] as const).map(
        (family) => [family, written(family).parsed.metadata.get('general.architecture')],
      ),
    );
    expect(architectures).toEqual({
      llama: 'llama',
      llama3: 'llama',
      smollm2: 'llama',
      mistral: 'llama',
      qwen2: 'qwen2',
      qwen3: 'qwen3',
      phi3: 'phi3',
      gemma3: 'gemma3',
    });
  });

  it('llama architecture: query rows interleaved per head (row h·d + 2j + a ← h·d + a·d/2 + j), values as they are', () => {
    const { model, data } = written('mistral', 2);
    const d = model.config.headDimension; // 32
    const query = weights(model, `${layer0}.self_attn.q_proj.weight`);
    const stored = data('blk.0.attn_q.weight');
    const width = model.config.hiddenSize;
    const row = (array: Float32Array, index: number) =>
      Array.from(array.subarray(index * width, (index + 1) * width));
    // Head 1, pair j = 3: stored rows 1·d + 6 and 1·d + 7 are original rows 1·d + 3 and 1·d + d/2 + 3.
    expect(row(stored, d + 6)).toEqual(row(query, d + 3));
    expect(row(stored, d + 7)).toEqual(row(query, d + d / 2 + 3));
    expect(data('blk.0.attn_v.weight')).toEqual(weights(model, `${layer0}.self_attn.v_proj.weight`));
    expect(data('output.weight')).toEqual(weights(model, 'lm_head.weight'));
  });

  it('qwen2: q, k and v biases, unpermuted (llama.cpp rotates qwen2 NEOX-style, like Hugging Face)', () => {
    const { model, data, names } = written('qwen2', 3);
    for (const [gguf, name] of [
      ['attn_q.weight', 'q_proj.weight'],
      ['attn_k.weight', 'k_proj.weight'],
      ['attn_q.bias', 'q_proj.bias'],
      ['attn_k.bias', 'k_proj.bias'],
      ['attn_v.bias', 'v_proj.bias'],
    ]) {
      expect(data(`blk.1.${gguf}`), gguf).toEqual(weights(model, `model.layers.1.self_attn.${name}`));
    }
    expect(names).not.toContain('blk.0.attn_output.bias');
  });

  it('qwen3: key/value length for the decoupled head, per-head q/k norms stored as they are', () => {
    const { model, parsed, info, data } = written('qwen3', 4);
    expect(parsed.metadata.get('qwen3.attention.key_length')).toBe(32);
    expect(parsed.metadata.get('qwen3.attention.value_length')).toBe(32);
    expect(parsed.metadata.get('qwen3.embedding_length')).toBe(64);
    expect(info('blk.0.attn_q.weight').dimensions).toEqual([64, 128]);
    expect(info('blk.0.attn_output.weight').dimensions).toEqual([128, 64]);
    expect(data('blk.0.attn_q_norm.weight')).toEqual(weights(model, `${layer0}.self_attn.q_norm.weight`));
    expect(data('blk.0.attn_k_norm.weight')).toEqual(weights(model, `${layer0}.self_attn.k_norm.weight`));
  });

  it('phi3: one attn_qkv (rows q, k, v), one ffn_up (gate rows first), no scaling type, a context-wide window', () => {
    const { model, parsed, info, data, names } = written('phi3', 5);
    const projection = (name: string) => weights(model, `${layer0}.self_attn.${name}_proj.weight`);
    const mlp = (name: string) => weights(model, `${layer0}.mlp.${name}_proj.weight`);
    expect(info('blk.0.attn_qkv.weight').dimensions).toEqual([64, 192]);
    expect(data('blk.0.attn_qkv.weight')).toEqual(
      concatenated(projection('q'), projection('k'), projection('v')),
    );
    expect(info('blk.0.ffn_up.weight').dimensions).toEqual([64, 256]);
    expect(data('blk.0.ffn_up.weight')).toEqual(concatenated(mlp('gate'), mlp('up')));
    expect(names.filter((name) => /attn_[qkv]\.|ffn_gate/.test(name))).toEqual([]);
    expect(keysUnder(parsed, 'phi3.rope.scaling')).toEqual([]);
    expect(parsed.metadata.get('phi3.attention.sliding_window')).toBe(model.config.maximumPositionEmbeddings);
  });

  it('gemma3: every norm stored as 1 + w, four norms per block, window, layer pattern and both RoPE bases', () => {
    const { model, parsed, data, names } = written('gemma3', 6);
    const plusOne = (name: string) => weights(model, name).map((weight) => 1 + weight);
    const norms: [string, string][] = [
      ['blk.0.attn_norm.weight', `${layer0}.input_layernorm.weight`],
      ['blk.0.attn_q_norm.weight', `${layer0}.self_attn.q_norm.weight`],
      ['blk.0.attn_k_norm.weight', `${layer0}.self_attn.k_norm.weight`],
      ['blk.0.post_attention_norm.weight', `${layer0}.post_attention_layernorm.weight`],
      ['blk.0.ffn_norm.weight', `${layer0}.pre_feedforward_layernorm.weight`],
      ['blk.0.post_ffw_norm.weight', `${layer0}.post_feedforward_layernorm.weight`],
      ['output_norm.weight', 'model.norm.weight'],
    ];
    for (const [gguf, name] of norms) expect(data(gguf), gguf).toEqual(plusOne(name));
    // Weights drawn near 0 really are stored near 1.
    expect(Math.abs((data('output_norm.weight')[0] as number) - 1)).toBeLessThan(0.5);
    expect(data('blk.0.attn_q.weight')).toEqual(weights(model, `${layer0}.self_attn.q_proj.weight`));
    expect(names).toContain('blk.1.post_ffw_norm.weight');
    expect(names).not.toContain('output.weight');
    const metadata = Object.fromEntries(
      keysUnder(parsed, 'gemma3.').map((key) => [key, parsed.metadata.get(key)]),
    );
    expect(metadata).toMatchObject({
      'gemma3.attention.key_length': 32,
      'gemma3.attention.value_length': 32,
      'gemma3.attention.sliding_window': 8,
      'gemma3.attention.sliding_window_pattern': 2,
      'gemma3.rope.freq_base': 1000000,
      'gemma3.rope.freq_base_swa': 10000,
    });
  });

  it('llama3: no scaling keys; rope_freqs.weight holds the divisors of the Llama 3 scaling', () => {
    const { parsed, info, data } = written('llama3', 7);
    expect(keysUnder(parsed, 'llama.rope.scaling')).toEqual([]);
    expect(parsed.metadata.get('llama.rope.freq_base')).toBe(500000);
    expect(info('rope_freqs.weight').dimensions).toEqual([16]);
    // θ 500000 over 32 dimensions: wavelengths 2π·500000^(i/16) are 6, 14, …, 1956 (< 8192/4: kept),
    // 4443 (between: s = (8192/4443 − 1)/3 = 0.28128, divisor 1/((1 − s)/8 + s) = 2.69453), then
    // 10089 and up (> 8192/1: divided by 8).
    const factors = Array.from(data('rope_freqs.weight'));
    expect(factors.slice(0, 8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(factors[8]).toBeCloseTo(2.69453, 5);
    expect(factors.slice(9)).toEqual([8, 8, 8, 8, 8, 8, 8]);
  });

  it('llama3FrequencyFactors on a hand-worked case', () => {
    // θ 100, 4 dimensions: wavelengths 2π and 20π; original 100, low 1, high 4 → bounds 25 and 100.
    // 2π < 25: kept. 20π = 62.83: s = (100/62.83 − 1)/3 = 0.197183, 1/((1 − s)/8 + s) = 3.360946.
    const factors = llama3FrequencyFactors(100, 4, {
      type: 'llama3',
      factor: 8,
      lowFrequencyFactor: 1,
      highFrequencyFactor: 4,
      originalMaxPositionEmbeddings: 100,
    });
    expect(factors[0]).toBe(1);
    expect(factors[1]).toBeCloseTo(3.360946, 5);
  });

  it("embeds the family's tokenizer and its BOS / EOS / end-of-turn ids (none for a family without a BOS)", () => {
    const qwen2 = written('qwen2').parsed.metadata;
    const qwenTokens = qwen2.get('tokenizer.ggml.tokens') as string[];
    expect(qwenTokens[qwen2.get('tokenizer.ggml.eot_token_id') as number]).toBe('<|im_end|>');
    expect(qwenTokens[qwen2.get('tokenizer.ggml.eos_token_id') as number]).toBe('<|endoftext|>');
    expect(qwen2.has('tokenizer.ggml.bos_token_id')).toBe(false);
    const llama3 = written('llama3').parsed.metadata;
    const llama3Tokens = llama3.get('tokenizer.ggml.tokens') as string[];
    expect(llama3Tokens[llama3.get('tokenizer.ggml.bos_token_id') as number]).toBe('<|begin_of_text|>');
    expect(llama3Tokens[llama3.get('tokenizer.ggml.eot_token_id') as number]).toBe('<|eot_id|>');
    expect(llama3.get('tokenizer.ggml.add_bos_token')).toBe(false);
  });

  it('refuses what the target architecture cannot express, and Phi-3 names llama.cpp would fail to load', () => {
    const llama3OnQwen = createTinyLlama({
      family: 'qwen2',
      rope: {
        scaling: {
          type: 'llama3',
          factor: 8,
          lowFrequencyFactor: 1,
          highFrequencyFactor: 4,
          originalMaxPositionEmbeddings: 8192,
        },
      },
    });
    expect(() => tinyLlamaToGguf(llama3OnQwen)).toThrow(/llama3 needs the llama architecture/);
    const phi3 = createTinyLlama({ family: 'phi3' });
    expect(() => tinyLlamaToGguf(phi3, { name: 'Tiny Phi-3' })).toThrow(
      /"name".*requires the tokens <unk>, <s>, <\/s>, which/,
    );
    expect(readGguf(tinyLlamaToGguf(phi3)).metadata.get('general.name')).toBe('sirllm-tiny-llama');
  });
});
