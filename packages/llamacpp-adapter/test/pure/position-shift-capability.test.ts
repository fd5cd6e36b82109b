import { describe, expect, it } from 'vitest';
import { positionShiftCapability } from '../../src/position-shift-capability.js';
import { ropeSettingsFromGguf } from '../../src/rope-settings-from-gguf.js';

/** Flat metadata of architecture `architecture`: every key is given without its prefix. */
function metadataOf(architecture: string, entries: Record<string, unknown>): Map<string, unknown> {
  return new Map([
    ['general.architecture', architecture],
    ...Object.entries(entries).map(([key, value]) => [`${architecture}.${key}`, value] as const),
  ]);
}

function capability(architecture: string, entries: Record<string, unknown> = {}) {
  return positionShiftCapability(architecture, metadataOf(architecture, entries));
}

describe('positionShiftCapability', () => {
  it('plain RoPE architectures shift exactly; Llama 3 too (its scaling is the rope_freqs tensor, reused by the shift)', () => {
    for (const architecture of ['llama', 'qwen2', 'qwen3', 'phi3']) {
      expect(capability(architecture, { 'rope.freq_base': 500000 })).toEqual({
        support: 'exact',
        scheme: 'rope',
      });
    }
    expect(capability('llama', { 'rope.scaling.type': 'linear', 'rope.scaling.factor': 8 })).toEqual({
      support: 'exact',
      scheme: 'linear',
    });
  });

  it('YaRN and a LongRoPE attention factor are approximate: llama.cpp re-applies the factor on every shift', () => {
    expect(capability('qwen2', { 'rope.scaling.type': 'yarn', 'rope.scaling.factor': 4 })).toEqual({
      support: 'approximate',
      scheme: 'yarn',
    });
    expect(capability('phi3', { 'rope.scaling.attn_factor': 1.1902 })).toEqual({
      support: 'approximate',
      scheme: 'longrope',
    });
    // A factor of 1 (the 4k models, when written at all) changes nothing.
    expect(capability('phi3', { 'rope.scaling.attn_factor': 1 }).support).toBe('exact');
  });

  it("Phi-3's sliding_window is ignored, as llama.cpp's phi3 loader switches the window off", () => {
    expect(capability('phi3', { 'attention.sliding_window': 2047 })).toEqual({
      support: 'exact',
      scheme: 'rope',
    });
    expect(capability('phi3', { 'attention.sliding_window': 262144n })).toEqual({
      support: 'exact',
      scheme: 'rope',
    });
  });

  it('sliding-window attention is refused with the reason and what to do instead', () => {
    for (const [architecture, entries] of [
      ['gemma3', { 'attention.sliding_window': 512 }],
      ['gemma3', {}],
      ['gemma2', { 'attention.sliding_window': 4096 }],
      // An architecture llama.cpp may honour a window for: refused rather than guessed.
      ['llama', { 'attention.sliding_window': 64 }],
      ['olmo2', { 'attention.sliding_window': 4096n }],
    ] as const) {
      const verdict = capability(architecture, entries);
      expect(verdict.support, architecture).toBe('unsupported');
      expect(verdict.scheme).toBe('sliding-window');
      expect(verdict.advice).toMatch(/reuses the cells of keys that left the window/);
      expect(verdict.advice).toMatch(/transformers\.js backend/);
    }
    // A zero window is no window.
    expect(capability('llama', { 'attention.sliding_window': 0 }).support).toBe('exact');
  });

  it('M-RoPE, latent attention, recurrent state and unknown scalings are refused', () => {
    expect(capability('qwen2vl').scheme).toBe('mrope');
    expect(capability('llama', { 'rope.dimension_sections': [2, 1, 1, 0] }).scheme).toBe('mrope');
    expect(capability('deepseek2').scheme).toBe('multi-head latent attention');
    expect(capability('mamba').scheme).toBe('recurrent');
    expect(capability('llama', { 'rope.scaling.type': 'longrope' })).toEqual({
      support: 'unsupported',
      scheme: 'longrope',
    });
  });
});

describe('ropeSettingsFromGguf', () => {
  it('reads the head size from key_length when it is not width / heads (Qwen 3, Gemma 3)', () => {
    const metadata = metadataOf('qwen3', {
      embedding_length: 64,
      'attention.head_count': 4,
      'attention.key_length': 32,
      'rope.freq_base': 1000000,
      'rope.dimension_count': 32,
    });
    expect(ropeSettingsFromGguf('qwen3', metadata)).toEqual({ theta: 1000000, headDimension: 32 });
  });

  it('falls back to width / heads and the default base, and reports partial rotation and scalings', () => {
    expect(
      ropeSettingsFromGguf(
        'phi3',
        metadataOf('phi3', { embedding_length: 3072, 'attention.head_count': 32 }),
      ),
    ).toEqual({
      theta: 10000,
      headDimension: 96,
    });
    expect(
      ropeSettingsFromGguf(
        'llama',
        metadataOf('llama', {
          embedding_length: 64,
          'attention.head_count': 2,
          'rope.dimension_count': 16,
          'rope.scaling.type': 'linear',
          'rope.scaling.factor': 8,
        }),
      ),
    ).toEqual({
      theta: 10000,
      headDimension: 32,
      rotaryDimensions: 16,
      scaling: { type: 'linear', factor: 8 },
    });
  });
});
