import { InvalidOptionError, PositionShiftUnsupportedError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { naiveLlamaLogits } from './naive-llama.test-helper.js';
import { referenceForward } from './reference-forward.js';

const maximumDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

describe('referenceForward', () => {
  const tokens = [1, 300, 17, 256, 99, 412, 5, 88, 260, 3, 150, 77];
  const variants = [
    { name: '1 layer, GQA', options: { seed: 3 } },
    {
      name: '2 layers, untied, partial rotary',
      options: { seed: 4, layers: 2, tiedEmbeddings: false, rope: { rotaryDimensions: 4 } },
    },
    {
      name: '3 layers, multi-head, theta 500000',
      options: { seed: 5, layers: 3, keyValueHeads: 4, rope: { theta: 500000 } },
    },
  ];

  for (const { name, options } of variants) {
    it(`matches a naive implementation (${name})`, () => {
      const model = createTinyLlama(options);
      const positions = tokens.map((_, index) => index * 3 + 2);
      const fast = referenceForward(model, tokens, positions);
      const naive = naiveLlamaLogits(model, tokens, positions);
      for (const [index, row] of fast.entries()) {
        expect(maximumDifference(row, naive[index] as number[])).toBeLessThan(1e-10);
      }
    });
  }

  it('is causal: logits at a position do not depend on later tokens', () => {
    const model = createTinyLlama({ seed: 6, layers: 2 });
    const full = referenceForward(model, tokens);
    const changedTail = referenceForward(model, [...tokens.slice(0, 6), ...tokens.slice(6).reverse()]);
    for (let index = 0; index < 6; index++) {
      expect(maximumDifference(full[index] as Float64Array, changedTail[index] as Float64Array)).toBe(0);
    }
    expect(maximumDifference(full[6] as Float64Array, changedTail[6] as Float64Array)).toBeGreaterThan(1e-3);
  });

  it('depends only on relative positions (RoPE)', () => {
    const model = createTinyLlama({ seed: 7, layers: 2 });
    const atZero = referenceForward(model, tokens);
    const shifted = referenceForward(
      model,
      tokens,
      tokens.map((_, index) => index + 1000),
    );
    for (const [index, row] of atZero.entries()) {
      expect(maximumDifference(row, shifted[index] as Float64Array)).toBeLessThan(1e-9);
    }
    const stretched = referenceForward(
      model,
      tokens,
      tokens.map((_, index) => index * 2),
    );
    expect(maximumDifference(atZero[5] as Float64Array, stretched[5] as Float64Array)).toBeGreaterThan(1e-3);
  });

  it('produces varied, non-degenerate distributions', () => {
    const model = createTinyLlama({ seed: 8 });
    const rows = referenceForward(model, tokens);
    for (const row of rows) {
      const maximum = Math.max(...row);
      const minimum = Math.min(...row);
      expect(maximum - minimum).toBeGreaterThan(4);
      expect(maximum - minimum).toBeLessThan(60);
    }
  });

  it('refuses bad tokens, bad positions and unshiftable RoPE', () => {
    const model = createTinyLlama({ seed: 9 });
    expect(() => referenceForward(model, [model.config.vocabularySize])).toThrow(InvalidOptionError);
    expect(() => referenceForward(model, [1, 2], [0])).toThrow(InvalidOptionError);
    expect(() => referenceForward(model, [1, 2], [0, -1])).toThrow(InvalidOptionError);
    const dynamic = createTinyLlama({ seed: 9, rope: { scaling: { type: 'dynamic', factor: 2 } } });
    expect(() => referenceForward(dynamic, [1, 2])).toThrow(PositionShiftUnsupportedError);
  });
});
