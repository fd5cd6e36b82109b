import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/seeded-random.js';
import { topIndicesByScore } from './select-by-score.js';

/** Reference: a full stable sort by score (descending; NaN last), ties to the lower index. */
function sortedTop(scores: number[], count: number): number[] {
  const rank = (value: number) => (Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value);
  return scores
    .map((score, index) => ({ score: rank(score), index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, Math.max(0, count))
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
}

describe('topIndicesByScore', () => {
  it('agrees with a full sort on random data with many ties, infinities and NaN', () => {
    const random = createRandom(42);
    for (let trial = 0; trial < 300; trial++) {
      const length = 1 + random.nextInteger(200);
      const levels = 1 + random.nextInteger(8);
      const scores = Array.from({ length }, () => {
        const roll = random.next();
        if (roll < 0.03) return Number.POSITIVE_INFINITY;
        if (roll < 0.05) return Number.NaN;
        if (roll < 0.07) return Number.NEGATIVE_INFINITY;
        return random.nextInteger(levels) * 0.5;
      });
      const count = random.nextInteger(length + 2) - 1;
      const actual = Array.from(topIndicesByScore(Float64Array.from(scores), length, count));
      expect(actual).toEqual(sortedTop(scores, count));
    }
  });

  it('agrees with a full sort on large ledgers (the sampled path), whatever the distribution', () => {
    const random = createRandom(7);
    const length = 20_000;
    const shapes: [string, (i: number) => number][] = [
      ['uniform', () => random.next() * 12],
      ['few levels', () => random.nextInteger(4)],
      ['ascending', (i) => i],
      ['descending', (i) => -i],
      [
        'mostly equal with NaN and ∞',
        (i) => (i % 97 === 0 ? Number.NaN : i % 89 === 0 ? Number.POSITIVE_INFINITY : 1),
      ],
    ];
    for (const [label, shape] of shapes) {
      const scores = Array.from({ length }, (_, i) => shape(i));
      for (const count of [1, 37, length / 8, length / 2, length - 3]) {
        const actual = Array.from(topIndicesByScore(Float64Array.from(scores), length, count));
        expect(actual, `${label}, count ${count}`).toEqual(sortedTop(scores, count));
      }
    }
  });

  it('only looks at the first `length` entries', () => {
    const scores = Float64Array.from([1, 5, 3, 100, 100]);
    expect(Array.from(topIndicesByScore(scores, 3, 2))).toEqual([1, 2]);
  });

  it('handles all-equal scores in linear passes (ties to the earlier token)', () => {
    const scores = new Float64Array(100_000).fill(2);
    const top = topIndicesByScore(scores, scores.length, 3);
    expect(Array.from(top)).toEqual([0, 1, 2]);
  });
});
