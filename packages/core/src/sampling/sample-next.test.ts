import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/seeded-random.js';
import type { ConstraintState } from '../seam/sampling-constraint.js';
import { sampleNext, samplingRandom } from './sample-next.js';
import { normaliseSamplingOptions, pickCandidate, sampleToken, samplingCandidates } from './sample-token.js';

// softmax = [0.1, 0.2, 0.3, 0.4]
const row = Float32Array.from([1, 2, 3, 4], Math.log);
const candidatesOf = (options: Parameters<typeof normaliseSamplingOptions>[0]) => {
  const { tokens, probabilities } = samplingCandidates(row, normaliseSamplingOptions(options));
  return { tokens: [...tokens], probabilities: [...probabilities] };
};
const expectProbabilities = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i] as number, 6);
  });
};

describe('samplingCandidates (hand-worked)', () => {
  it('temperature 1 keeps the softmax, most probable first', () => {
    const { tokens, probabilities } = candidatesOf({ temperature: 1 });
    expect(tokens).toEqual([3, 2, 1, 0]);
    expectProbabilities(probabilities, [0.4, 0.3, 0.2, 0.1]);
  });

  it('temperature sharpens (p^2 at 0.5) or flattens (√p at 2)', () => {
    expectProbabilities(candidatesOf({ temperature: 0.5 }).probabilities, [16 / 30, 9 / 30, 4 / 30, 1 / 30]);
    const roots = [4, 3, 2, 1].map(Math.sqrt);
    const sum = roots.reduce((a, b) => a + b, 0);
    expectProbabilities(
      candidatesOf({ temperature: 2 }).probabilities,
      roots.map((root) => root / sum),
    );
  });

  it('top-k keeps the k most probable tokens, renormalised', () => {
    const { tokens, probabilities } = candidatesOf({ temperature: 1, topK: 2 });
    expect(tokens).toEqual([3, 2]);
    expectProbabilities(probabilities, [4 / 7, 3 / 7]);
    expect(candidatesOf({ temperature: 1, topK: 9 }).tokens).toEqual([3, 2, 1, 0]);
  });

  it('top-p keeps the smallest head whose mass reaches p', () => {
    expect(candidatesOf({ temperature: 1, topP: 0.35 }).tokens).toEqual([3]);
    expect(candidatesOf({ temperature: 1, topP: 0.5 }).tokens).toEqual([3, 2]);
    expect(candidatesOf({ temperature: 1, topP: 0.75 }).tokens).toEqual([3, 2, 1]);
    // top-p applies after top-k, to the top-k distribution: 4/7 ≥ 0.55.
    expect(candidatesOf({ temperature: 1, topK: 2, topP: 0.55 }).tokens).toEqual([3]);
    // … and after temperature: at 0.5 the head holds 16/30 ≥ 0.5.
    expect(candidatesOf({ temperature: 0.5, topP: 0.5 }).tokens).toEqual([3]);
  });

  it('min-p drops tokens below minP × the top probability', () => {
    // Relative probabilities 1, 0.75, 0.5, 0.25.
    const { tokens, probabilities } = candidatesOf({ temperature: 1, minP: 0.4 });
    expect(tokens).toEqual([3, 2, 1]);
    expectProbabilities(probabilities, [4 / 9, 3 / 9, 2 / 9]);
    expect(candidatesOf({ temperature: 1, minP: 0.6 }).tokens).toEqual([3, 2]);
  });

  it('ties go to the lower id; −∞ logits are never candidates', () => {
    const tied = samplingCandidates(
      [0, 2, 2, Number.NEGATIVE_INFINITY],
      normaliseSamplingOptions({ temperature: 1 }),
    );
    expect([...tied.tokens]).toEqual([1, 2, 0]);
  });

  it('a draw u picks the first candidate whose cumulative probability exceeds u', () => {
    const candidates = samplingCandidates(row, normaliseSamplingOptions({ temperature: 1 }));
    expect(pickCandidate(candidates, 0)).toBe(3);
    expect(pickCandidate(candidates, 0.39)).toBe(3);
    expect(pickCandidate(candidates, 0.41)).toBe(2);
    expect(pickCandidate(candidates, 0.69)).toBe(2);
    expect(pickCandidate(candidates, 0.71)).toBe(1);
    expect(pickCandidate(candidates, 0.95)).toBe(0);
    expect(pickCandidate(candidates, 0.999999)).toBe(0);
  });
});

describe('sampleNext', () => {
  it('is greedy at temperature 0 (ties to the lowest id) and reports the raw surprisal', () => {
    expect(sampleNext([1, 5, 5, 2], {})).toEqual({ token: 1, surprisal: expect.any(Number) });
    const greedy = sampleNext(row, { temperature: 0, seed: 99 });
    expect(greedy.token).toBe(3);
    expect(greedy.surprisal).toBeCloseTo(-Math.log(0.4), 6);
  });

  it('surprisal is −ln softmax of the raw row, whatever temperature, top-k, top-p or constraint', () => {
    const onlyToken1: Pick<ConstraintState, 'allows'> = { allows: (token) => token === 1 };
    const constrained = sampleNext(
      row,
      { temperature: 0.3, topK: 1, topP: 0.2, seed: 4 },
      { constraint: onlyToken1 },
    );
    expect(constrained.token).toBe(1);
    expect(constrained.surprisal).toBeCloseTo(-Math.log(0.2), 6);
    const sharp = sampleNext(row, { temperature: 0.01, seed: 5 });
    expect(sharp.token).toBe(3);
    expect(sharp.surprisal).toBeCloseTo(-Math.log(0.4), 6);
  });

  it('draw k uses samplingRandom(seed, k): one uniform, mapped through the candidates', () => {
    const options = { temperature: 0.8, topK: 3, seed: 1234 };
    const candidates = samplingCandidates(row, normaliseSamplingOptions(options));
    for (let draw = 0; draw < 50; draw++) {
      const u = samplingRandom(1234, draw).next();
      expect(sampleNext(row, options, { draw }).token).toBe(pickCandidate(candidates, u));
      expect(sampleNext(row, options, { draw }).token).toBe(
        sampleToken(row, normaliseSamplingOptions(options), samplingRandom(1234, draw)),
      );
    }
    // An explicit random source replaces the seeded one.
    const fixed = { next: () => 0.5, nextInteger: () => 0 };
    expect(sampleNext(row, { temperature: 1, seed: 1 }, { random: fixed }).token).toBe(2);
  });

  it('samplingRandom is fixed by definition: createRandom of a 32-bit hash of seed and draw', () => {
    // Pinned so that a change to the definition (which every backend shares) is a visible decision. The
    // values come from an independent transcription of the definition (Python: MurmurHash3 finaliser,
    // SplitMix32 seeding, xoshiro128**), not from this implementation.
    const first = [0, 1, 2].map((draw) => samplingRandom(1234, draw).next());
    expect(first).toEqual([0, 1, 2].map((draw) => samplingRandom(1234, draw).next()));
    expect(new Set(first).size).toBe(3);
    expect(samplingRandom(1234, 0).next()).not.toBe(samplingRandom(1235, 0).next());
    expect(samplingRandom(0, 0).next()).not.toBe(createRandom(0).next());
    expect(first.map((u) => Math.round(u * 1e9))).toEqual(PINNED_FIRST_DRAWS);
  });

  it('the first draws of draws 0, 1, 2, … are uniform (one generator per pick, as sequences use them)', () => {
    const bins = new Array(10).fill(0);
    const count = 20_000;
    for (let draw = 0; draw < count; draw++) bins[Math.floor(samplingRandom(7, draw).next() * 10)]++;
    for (const bin of bins) expect(Math.abs(bin / count - 0.1)).toBeLessThan(0.01);
  });

  it('over many draws the picks follow the tempered softmax', () => {
    for (const temperature of [1, 0.8, 0.5]) {
      const counts = [0, 0, 0, 0];
      const draws = 20_000;
      for (let draw = 0; draw < draws; draw++)
        counts[sampleNext(row, { temperature, seed: 3 }, { draw }).token]!++;
      const weights = [1, 2, 3, 4].map((p) => p ** (1 / temperature));
      const total = weights.reduce((a, b) => a + b, 0);
      // Standard error ≤ √(0.25 / 20000) ≈ 0.0035: allow ~4 of them.
      counts.forEach((n, token) => {
        expect(Math.abs(n / draws - (weights[token] as number) / total)).toBeLessThan(0.015);
      });
    }
  });

  it('with top-k and top-p, picks follow the truncated, renormalised distribution', () => {
    const counts = [0, 0, 0, 0];
    const draws = 20_000;
    for (let draw = 0; draw < draws; draw++)
      counts[sampleNext(row, { temperature: 1, topP: 0.6, seed: 8 }, { draw }).token]!++;
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[3]! / draws - 4 / 7)).toBeLessThan(0.015);
  });

  it('a constraint makes only allowed tokens candidates, renormalised over them', () => {
    const even: Pick<ConstraintState, 'allows'> = { allows: (token) => token % 2 === 0 };
    const counts = [0, 0, 0, 0];
    const draws = 20_000;
    for (let draw = 0; draw < draws; draw++)
      counts[sampleNext(row, { temperature: 1, seed: 2 }, { draw, constraint: even }).token]!++;
    expect(counts[1]! + counts[3]!).toBe(0);
    expect(Math.abs(counts[2]! / draws - 0.75)).toBeLessThan(0.015);
    expect(sampleNext(row, {}, { constraint: even }).token).toBe(2);
  });

  it('checks its options and its row', () => {
    expect(() => sampleNext(row, { temperature: -1 })).toThrow(/sample\.temperature/);
    expect(() => sampleNext([Number.NaN, 1], { temperature: 1 })).toThrow(/NaN/);
    expect(() => sampleNext(row, {}, { constraint: { allows: () => false } })).toThrow(/allows no token/);
  });
});

const PINNED_FIRST_DRAWS = [112049342, 447380116, 656532207];
