import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/seeded-random.js';
import { logSoftmax, logSumExp } from './log-softmax.js';
import { surprisalFromLogitSummary, surprisalFromLogits } from './surprisal.js';

/** Independent reference: ln Σ exp by pairwise log-add (max + log1p(exp(−|a − b|))), no global shift. */
function logAddReduce(row: number[]): number {
  return row.reduce((a, b) => {
    if (a === Number.NEGATIVE_INFINITY) return b;
    if (b === Number.NEGATIVE_INFINITY) return a;
    return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  }, Number.NEGATIVE_INFINITY);
}

function randomRow(seed: number, size: number, scale: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: size }, () => (random.next() * 2 - 1) * scale);
}

describe('surprisal', () => {
  it('equals the naive float64 −ln softmax on moderate rows', () => {
    for (let seed = 0; seed < 50; seed++) {
      const row = randomRow(seed, 257, 12);
      const token = seed * 5;
      const naive = -Math.log(
        Math.exp(row[token] as number) / row.reduce((sum, value) => sum + Math.exp(value), 0),
      );
      expect(Math.abs(surprisalFromLogits(Float32Array.from(row), token) - naive)).toBeLessThan(1e-6);
      expect(Math.abs(surprisalFromLogits(row, token) - naive)).toBeLessThan(1e-9);
    }
  });

  it('stays exact and finite with logits of ±1e4', () => {
    for (let seed = 0; seed < 50; seed++) {
      const row = randomRow(seed + 100, 300, 1e4);
      row[7] = 1e4;
      row[8] = -1e4;
      for (const token of [0, 7, 8, 299]) {
        const expected = logAddReduce(row) - (row[token] as number);
        const value = surprisalFromLogits(row, token);
        expect(Number.isNaN(value)).toBe(false);
        expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      }
    }
  });

  it('matches the node-llama-cpp summary form (selected, max, Σ exp(logit − max))', () => {
    for (let seed = 0; seed < 20; seed++) {
      const row = randomRow(seed + 200, 1000, 30);
      const maximum = Math.max(...row);
      const total = row.reduce((sum, value) => sum + Math.exp(value - maximum), 0);
      for (const token of [1, 500, 999]) {
        const fromSummary = surprisalFromLogitSummary(row[token] as number, maximum, total);
        expect(Math.abs(fromSummary - surprisalFromLogits(row, token))).toBeLessThan(1e-9);
      }
    }
  });

  it('is never negative and is +∞ for a token with a −∞ logit', () => {
    expect(surprisalFromLogits([0, -1e4, -1e4], 0)).toBeGreaterThanOrEqual(0);
    expect(surprisalFromLogits([0, Number.NEGATIVE_INFINITY], 1)).toBe(Number.POSITIVE_INFINITY);
    expect(surprisalFromLogitSummary(5, 5, 1)).toBe(0);
    expect(() => surprisalFromLogits([1, 2], 2)).toThrow(RangeError);
  });

  it('log-softmax sums to one in probability space and handles −∞ rows', () => {
    const row = randomRow(9, 64, 1e3);
    const probabilities = Array.from(logSoftmax(row), Math.exp);
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(logSumExp([1, Number.NaN]))).toBe(true);
  });
});

describe('non-finite logits', () => {
  it('a +∞ logit takes all the probability', () => {
    expect(surprisalFromLogits([1, Number.POSITIVE_INFINITY, 2], 1)).toBe(0);
    expect(surprisalFromLogits([1, Number.POSITIVE_INFINITY, 2], 0)).toBe(Number.POSITIVE_INFINITY);
    expect(surprisalFromLogits([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 0)).toBeCloseTo(
      Math.log(2),
      12,
    );
  });
});
