import { createRandom } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { rowSurprisal } from '../src/row-surprisal.js';

/** −ln softmax(row)[token] in float64 with `Math.exp`, two plain passes. */
function referenceSurprisal(row: Float32Array, token: number): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (const value of row) maximum = Math.max(maximum, value);
  let sum = 0;
  for (const value of row) sum += Math.exp(value - maximum);
  return maximum + Math.log(sum) - (row[token] as number);
}

describe('rowSurprisal', () => {
  it('matches hand-worked rows', () => {
    expect(rowSurprisal(Float32Array.of(0, 0), 0)).toBeCloseTo(Math.LN2, 14);
    expect(rowSurprisal(Float32Array.of(5, 5, 5, 5), 3)).toBeCloseTo(Math.log(4), 14);
    // [1, 2, 3], token 2: ln(1 + e^−1 + e^−2).
    expect(rowSurprisal(Float32Array.of(1, 2, 3), 2)).toBeCloseTo(
      Math.log(1 + Math.exp(-1) + Math.exp(-2)),
      10,
    );
    // Within the polynomial's bound (4e-11). Token 0 of [3, 2, 1] (largest first: no rescaling) and of [1, 2, 3] (rescaled at every element).
    const expected = 2 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
    expect(rowSurprisal(Float32Array.of(1, 2, 3), 0)).toBeCloseTo(expected, 10);
    expect(rowSurprisal(Float32Array.of(3, 2, 1), 2)).toBeCloseTo(expected, 10);
  });

  it('agrees with Math.exp to 1e-9 over a 151,936-logit row, in any order', () => {
    const random = createRandom(11);
    const size = 151936;
    const shuffled = Float32Array.from({ length: size }, () => (random.next() - 0.5) * 40);
    const ascending = shuffled.slice().sort();
    const descending = ascending.slice().reverse();
    const wide = Float32Array.from({ length: size }, () => (random.next() - 0.9) * 2000);
    for (const row of [shuffled, ascending, descending, wide]) {
      for (const token of [0, 17, size - 1, Math.floor(size / 2)]) {
        const reference = referenceSurprisal(row, token);
        expect(Math.abs(rowSurprisal(row, token) - reference)).toBeLessThan(1e-9 * Math.max(1, reference));
      }
    }
  });

  it('drops −∞ logits and gives NaN for NaN, +∞ or an all −∞ row', () => {
    const minus = Number.NEGATIVE_INFINITY;
    expect(rowSurprisal(Float32Array.of(minus, 0, minus, 0), 1)).toBeCloseTo(Math.LN2, 14);
    expect(rowSurprisal(Float32Array.of(minus, minus), 0)).toBeNaN();
    expect(rowSurprisal(Float32Array.of(0, Number.NaN, 1), 0)).toBeNaN();
    expect(rowSurprisal(Float32Array.of(Number.NaN, 0, 1), 0)).toBeNaN();
    expect(rowSurprisal(Float32Array.of(0, Number.POSITIVE_INFINITY), 0)).toBeNaN();
    expect(rowSurprisal(Float32Array.of(2, 1), 1)).toBeGreaterThan(0);
    expect(rowSurprisal(Float32Array.of(2, 2), 0)).toBeGreaterThanOrEqual(0);
  });
});
