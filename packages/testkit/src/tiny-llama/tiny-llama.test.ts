import { InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { createTinyLlama } from './create-tiny-llama.js';
import { modelFingerprint } from './model-fingerprint.js';
import { tinyLlamaTensorNames } from './tensor-names.js';

describe('createTinyLlama', () => {
  it('has the documented defaults and Hugging Face tensor names and shapes', () => {
    const model = createTinyLlama({ seed: 1 });
    const { config } = model;
    expect(config).toMatchObject({
      layers: 1,
      attentionHeads: 4,
      keyValueHeads: 2,
      hiddenSize: 32,
      headDimension: 8,
      intermediateSize: 64,
      vocabularySize: createTokenizer().vocabularySize,
      rmsNormEpsilon: 1e-5,
      tiedEmbeddings: true,
      rope: { theta: 10000, headDimension: 8 },
    });
    const shapes = Object.fromEntries([...model.tensors].map(([name, tensor]) => [name, tensor.shape]));
    expect(shapes).toEqual({
      'model.embed_tokens.weight': [config.vocabularySize, 32],
      'model.layers.0.input_layernorm.weight': [32],
      'model.layers.0.self_attn.q_proj.weight': [32, 32],
      'model.layers.0.self_attn.k_proj.weight': [16, 32],
      'model.layers.0.self_attn.v_proj.weight': [16, 32],
      'model.layers.0.self_attn.o_proj.weight': [32, 32],
      'model.layers.0.post_attention_layernorm.weight': [32],
      'model.layers.0.mlp.gate_proj.weight': [64, 32],
      'model.layers.0.mlp.up_proj.weight': [64, 32],
      'model.layers.0.mlp.down_proj.weight': [32, 64],
      'model.norm.weight': [32],
    });
    for (const tensor of model.tensors.values()) {
      expect(tensor.data).toBeInstanceOf(Float32Array);
      expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
    }
  });

  it('adds lm_head when embeddings are not tied, and one block per layer', () => {
    const model = createTinyLlama({ layers: 3, tiedEmbeddings: false });
    expect(model.tensors.get('lm_head.weight')?.shape).toEqual([model.config.vocabularySize, 32]);
    expect(tinyLlamaTensorNames(model.config)).toEqual([...model.tensors.keys()]);
    expect(model.tensors.has('model.layers.2.mlp.down_proj.weight')).toBe(true);
  });

  it('is deterministic per seed', () => {
    const a = createTinyLlama({ seed: 5, layers: 2 });
    const b = createTinyLlama({ seed: 5, layers: 2 });
    const c = createTinyLlama({ seed: 6, layers: 2 });
    for (const [name, tensor] of a.tensors) expect(b.tensors.get(name)?.data).toEqual(tensor.data);
    expect(c.tensors.get('model.embed_tokens.weight')?.data).not.toEqual(
      a.tensors.get('model.embed_tokens.weight')?.data,
    );
    expect(modelFingerprint(a)).toBe(modelFingerprint(b));
    expect(modelFingerprint(a)).not.toBe(modelFingerprint(c));
  });

  it('refuses inconsistent shapes', () => {
    expect(() => createTinyLlama({ attentionHeads: 4, keyValueHeads: 3 })).toThrow(InvalidOptionError);
    expect(() => createTinyLlama({ hiddenSize: 30 })).toThrow(InvalidOptionError);
    expect(() => createTinyLlama({ rope: { rotaryDimensions: 3 } })).toThrow(InvalidOptionError);
    expect(() => createTinyLlama({ rope: { theta: 1 } })).toThrow(InvalidOptionError);
    expect(() => createTinyLlama({ layers: 0 })).toThrow(InvalidOptionError);
    expect(() => createTinyLlama({ seed: -1 })).toThrow(InvalidOptionError);
  });
});
