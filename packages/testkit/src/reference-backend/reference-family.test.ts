import { describe, expect, it } from 'vitest';
import { modelFamilies } from '../families/model-family.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { naiveFamilyLogits } from './naive-family.test-helper.js';
import { referenceForward } from './reference-forward.js';

const maximumDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

describe('referenceForward on every family', () => {
  // 14 tokens: longer than the tiny Gemma window (8), so sliding layers hide the oldest keys.
  const tokens = [1, 300, 17, 256, 99, 412, 5, 88, 260, 3, 150, 77, 40, 201];
  const positions = tokens.map((_, index) => index * 2 + 1);

  for (const family of modelFamilies) {
    it(`matches a naive implementation of the ${family} formulas`, () => {
      // Llama 3's 128,256-token head is the slow part of the naive pass: keep its vocabulary small here.
      const model = createTinyLlama({
        family,
        seed: 11,
        ...(family === 'llama3' ? { vocabularySize: 512 } : {}),
      });
      const fast = referenceForward(model, tokens, positions);
      const naive = naiveFamilyLogits(model, tokens, positions);
      for (const [index, row] of fast.entries()) {
        expect(maximumDifference(row, naive[index] as number[])).toBeLessThan(1e-9);
      }
    });
  }

  it('gives each family different logits (the features are not no-ops)', () => {
    const rows = modelFamilies.map((family) => {
      const model = createTinyLlama({ family, seed: 11, vocabularySize: 512 });
      return referenceForward(model, tokens).at(-1) as Float64Array;
    });
    for (let a = 0; a < rows.length; a++) {
      for (let b = a + 1; b < rows.length; b++) {
        expect(maximumDifference(rows[a] as Float64Array, rows[b] as Float64Array)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('gemma3: the sliding window hides keys older than the window on local layers only', () => {
    const wide = createTinyLlama({
      family: 'gemma3',
      seed: 12,
      slidingWindow: { window: 64, pattern: 2, localTheta: 10000 },
    });
    const narrow = createTinyLlama({
      family: 'gemma3',
      seed: 12,
      slidingWindow: { window: 8, pattern: 2, localTheta: 10000 },
    });
    const wideRows = referenceForward(wide, tokens);
    const narrowRows = referenceForward(narrow, tokens);
    // Within the window both see everything; past it the narrow window changes the result.
    for (let index = 0; index < 8; index++) {
      expect(maximumDifference(wideRows[index] as Float64Array, narrowRows[index] as Float64Array)).toBe(0);
    }
    expect(maximumDifference(wideRows[13] as Float64Array, narrowRows[13] as Float64Array)).toBeGreaterThan(
      1e-4,
    );
  });
});
