import { describe, expect, it } from 'vitest';
import { BackendError } from '../errors/backend-error.js';
import { createRandom } from '../random/seeded-random.js';
import { normaliseSamplingOptions, sampleToken } from './sample-token.js';

describe('sampleToken', () => {
  const options = normaliseSamplingOptions({ temperature: 0.8, seed: 1 });

  it('draws tokens in proportion to their tempered probability', () => {
    const row = [Math.log(1), Math.log(3), Number.NEGATIVE_INFINITY];
    const counts = [0, 0, 0];
    const random = createRandom(3);
    const untempered = normaliseSamplingOptions({ temperature: 1 });
    for (let i = 0; i < 4000; i++) counts[sampleToken(row, untempered, random)]!++;
    expect(counts[2]).toBe(0);
    expect(counts[1]! / 4000).toBeGreaterThan(0.7);
    expect(counts[1]! / 4000).toBeLessThan(0.8);
  });

  it('is greedy at temperature 0 and for +∞ logits, and refuses NaN or all −∞ rows', () => {
    const random = createRandom(1);
    expect(sampleToken([1, 5, 5], normaliseSamplingOptions({}), random)).toBe(1);
    expect(sampleToken([1, Number.POSITIVE_INFINITY, 2], options, random)).toBe(1);
    expect(() => sampleToken([1, Number.NaN, 2], options, random)).toThrow(BackendError);
    expect(() => sampleToken([Number.NEGATIVE_INFINITY], options, random)).toThrow(BackendError);
    // Greedy too: an all −∞ row has no most probable token (argmax would say 0, with NaN surprisal).
    const greedy = normaliseSamplingOptions({});
    expect(() => sampleToken([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], greedy, random)).toThrow(
      BackendError,
    );
  });

  it('top-k and top-p keep only the most probable tokens', () => {
    const row = [0, 1, 2, 3, 4];
    const random = createRandom(9);
    const topK = normaliseSamplingOptions({ temperature: 1, topK: 2 });
    const topP = normaliseSamplingOptions({ temperature: 1, topP: 0.5 });
    for (let i = 0; i < 300; i++) {
      expect(sampleToken(row, topK, random)).toBeGreaterThanOrEqual(3);
      expect(sampleToken(row, topP, random)).toBeGreaterThanOrEqual(3);
    }
    expect(() => normaliseSamplingOptions({ temperature: -1 })).toThrow(/sample\.temperature/);
  });
});
