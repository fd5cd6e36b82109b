import { describe, expect, it } from 'vitest';
import { positionSchemeOf, unmovableLayerRope } from '../src/position-scheme.js';

// Gemma 3 1B's config.json keys (real-models.md §2), shortened to 6 layers.
const gemma = {
  model_type: 'gemma3_text',
  num_hidden_layers: 6,
  num_attention_heads: 4,
  hidden_size: 1152,
  head_dim: 256,
  rope_theta: 1000000,
  rope_local_base_freq: 10000,
  rope_scaling: null,
  sliding_window: 512,
};
const local = { theta: 10000, headDimension: 256 };
const global = { theta: 1000000, headDimension: 256 };

describe('per-layer RoPE from config.json', () => {
  it('Gemma 3 with sliding_window_pattern: every pattern-th layer global, the others local', () => {
    const scheme = positionSchemeOf({ ...gemma, sliding_window_pattern: 3 });
    expect(scheme).toMatchObject({ kind: 'rope', settings: global });
    expect(scheme.kind === 'rope' && scheme.layers).toEqual([local, local, global, local, local, global]);
  });

  it('Gemma 3 without a pattern: Hugging Face default 6', () => {
    const scheme = positionSchemeOf(gemma);
    expect(scheme.kind === 'rope' && scheme.layers.map((layer) => layer.theta)).toEqual([
      10000, 10000, 10000, 10000, 10000, 1000000,
    ]);
  });

  it('layer_types wins over the pattern; the global scaling stays off the local layers', () => {
    const scheme = positionSchemeOf({
      ...gemma,
      num_hidden_layers: 3,
      sliding_window_pattern: 6,
      layer_types: ['full_attention', 'sliding_attention', 'full_attention'],
      rope_scaling: { rope_type: 'linear', factor: 8 },
    });
    const scaled = { ...global, scaling: { type: 'linear', factor: 8 } };
    expect(scheme.kind === 'rope' && scheme.layers).toEqual([scaled, local, scaled]);
  });

  it('rope_parameters per layer type (newer configs)', () => {
    const { rope_theta: _theta, rope_local_base_freq: _local, ...rest } = gemma;
    const scheme = positionSchemeOf({
      ...rest,
      num_hidden_layers: 2,
      layer_types: ['sliding_attention', 'full_attention'],
      rope_parameters: {
        full_attention: { rope_type: 'linear', factor: 8, rope_theta: 1000000 },
        sliding_attention: { rope_type: 'default', rope_theta: 10000 },
      },
    });
    expect(scheme.kind === 'rope' && scheme.layers).toEqual([
      local,
      { ...global, scaling: { type: 'linear', factor: 8 } },
    ]);
  });

  it('a model without a local base: every layer has the model settings, even with sliding layers', () => {
    const scheme = positionSchemeOf({
      model_type: 'mistral',
      num_hidden_layers: 2,
      num_attention_heads: 4,
      hidden_size: 64,
      rope_theta: 1000000,
      layer_types: ['sliding_attention', 'full_attention'],
    });
    const settings = { theta: 1000000, headDimension: 16 };
    expect(scheme.kind === 'rope' && scheme.layers).toEqual([settings, settings]);
  });

  it('names the layer settings that no rotation can move', () => {
    const scheme = positionSchemeOf({
      ...gemma,
      num_hidden_layers: 2,
      rope_scaling: { rope_type: 'dynamic', factor: 2 },
      sliding_window_pattern: 2,
    });
    if (scheme.kind !== 'rope') throw new Error('expected RoPE');
    expect(unmovableLayerRope(scheme)?.scaling).toEqual({ type: 'dynamic', factor: 2 });
    expect(unmovableLayerRope({ ...scheme, settings: local, layers: [local, local] })).toBeUndefined();
  });
});
