import { describe, expect, it } from 'vitest';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { createRandom } from '../random/seeded-random.js';
import { full } from './full.js';
import { interval } from './interval.js';
import { random } from './random.js';
import type { RetentionPolicy } from './retention-policy.js';
import { sirllm } from './sirllm.js';
import { streamingLLM } from './streaming-llm.js';

const ledgerOf = (scores: number[]) => ({ length: scores.length, scores: Float64Array.from(scores) });
const keep = (
  policy: RetentionPolicy,
  scores: number[],
  capacity: number,
  incoming: number,
  protectNewest = 0,
) => Array.from(policy.select(ledgerOf(scores), { capacity, incoming, protectNewest }));

describe('sirllm: hand-worked cases of the reference selection (paper.md §2)', () => {
  it('keeps sinks ∪ top-(capacity − incoming − sinks) over the whole cache, ties to the earlier token', () => {
    // room = 8 − 3 = 5; top-3 of [9,1,5,7,5,2,3] = {0, 3, 2} (2 beats 4 on the tie); ∪ sinks {0,1};
    // one cell left over → the newest token not yet kept, 6.
    expect(keep(sirllm({ sinks: 2 }), [9, 1, 5, 7, 5, 2, 3], 8, 3)).toEqual([0, 1, 2, 3, 6]);
  });

  it('fills room left by overlaps with the newest tokens, not the next-best score (the reference quirk)', () => {
    // room 4, top-2 = the two sinks (∞ and 8) → both overlap; fill with 5 then 4; index 3 (score 7) goes.
    expect(keep(sirllm({ sinks: 2 }), [Number.POSITIVE_INFINITY, 8, 1, 7, 1, 1], 6, 2)).toEqual([0, 1, 4, 5]);
  });

  it('breaks ties toward the earlier token', () => {
    expect(keep(sirllm({ sinks: 1 }), [3, 3, 3, 3, 3, 3], 5, 1)).toEqual([0, 1, 2, 5]);
  });

  it('keeps only the sinks when the incoming turn leaves no room for history (n > budget)', () => {
    expect(keep(sirllm({ sinks: 2 }), [5, 4, 9, 9, 9], 8, 6)).toEqual([0, 1]);
  });

  it('refuses when the incoming tokens do not fit beside the sinks', () => {
    expect(() => keep(sirllm({ sinks: 2 }), [5, 4, 9, 9, 9], 8, 7)).toThrow(CapacityExceededError);
  });

  it('evicts nothing while everything fits', () => {
    expect(keep(sirllm(), [1, 2, 3], 8, 5)).toEqual([0, 1, 2]);
  });

  it('keeps its recent window and the protected newest tokens', () => {
    // room 5: sinks {0}, recent {6}; top-3 of the scores = {1, 2, 3}.
    expect(keep(sirllm({ sinks: 1, recent: 1 }), [0, 9, 8, 7, 6, 5, 0], 6, 1)).toEqual([0, 1, 2, 3, 6]);
    // protecting the newest 3 leaves room for one top token.
    expect(keep(sirllm({ sinks: 1 }), [0, 9, 8, 7, 6, 5, 0], 6, 1, 3)).toEqual([0, 1, 4, 5, 6]);
  });
});

describe('baselines', () => {
  it('streamingLLM keeps the sinks and the newest tokens', () => {
    expect(keep(streamingLLM({ sinks: 2 }), [9, 9, 9, 9, 9, 9, 9, 9], 6, 2)).toEqual([0, 1, 6, 7]);
  });

  it('interval keeps history at an even stride (gaps differ by at most one)', () => {
    const length = 103;
    const kept = keep(interval({ sinks: 3 }), new Array(length).fill(1), 40, 7);
    expect(kept).toHaveLength(33);
    expect(kept.slice(0, 3)).toEqual([0, 1, 2]);
    const gaps = kept.slice(3).map((index, i, all) => (i === 0 ? index - 3 : index - (all[i - 1] as number)));
    expect(Math.max(...gaps.slice(1)) - Math.min(...gaps.slice(1))).toBeLessThanOrEqual(1);
    expect(gaps[0]).toBe(0);
  });

  it('random is deterministic per seed, differs across seeds, and draws history uniformly', () => {
    const scores = new Array(200).fill(1);
    const run = (seed: number) => {
      const policy = random({ sinks: 4, seed });
      return [keep(policy, scores, 100, 10), keep(policy, scores, 100, 10)];
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const counts = new Array(200).fill(0);
    const policy = random({ sinks: 4, seed: 1 });
    for (let trial = 0; trial < 400; trial++)
      for (const index of keep(policy, scores, 100, 10)) counts[index]++;
    for (let index = 0; index < 4; index++) expect(counts[index]).toBe(400);
    const history = counts.slice(4);
    const expected = (400 * 86) / 196;
    for (const count of history) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.35);
  });

  it('full never evicts and names the fix when the cache overflows', () => {
    expect(keep(full(), [1, 2, 3], 5, 2)).toEqual([0, 1, 2]);
    expect(() => keep(full(), [1, 2, 3], 5, 3)).toThrow(/never evicts/);
  });
});

describe('invariants on random ledgers, for every policy', () => {
  const policies: [string, () => RetentionPolicy][] = [
    ['sirllm', () => sirllm({ sinks: 4, recent: 2 })],
    ['streamingLLM', () => streamingLLM({ sinks: 4 })],
    ['random', () => random({ sinks: 4, seed: 3 })],
    ['interval', () => interval({ sinks: 4, recent: 1 })],
  ];
  for (const [name, make] of policies) {
    it(`${name}: within budget, sinks and newest kept, ascending`, () => {
      const policy = make();
      const generator = createRandom(11);
      for (let trial = 0; trial < 300; trial++) {
        const capacity = 16 + generator.nextInteger(200);
        const length = 1 + generator.nextInteger(capacity);
        const protectNewest = generator.nextInteger(5);
        const incoming = 1 + generator.nextInteger(capacity - 4 - Math.max(policy.recent, protectNewest));
        const scores = Array.from({ length }, () => generator.next() * 10);
        const kept = keep(policy, scores, capacity, incoming, protectNewest);
        const room = capacity - incoming;
        expect(kept.length).toBe(Math.min(length, room));
        for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1] as number);
        for (let i = 0; i < Math.min(4, length); i++) expect(kept).toContain(i);
        const newest = Math.min(length - 4, Math.max(policy.recent, protectNewest));
        for (let i = length - newest; i < length; i++) expect(kept).toContain(i);
      }
    });
  }
});

describe('options', () => {
  it('rejects invalid options with the option named', () => {
    expect(() => sirllm({ decay: 0 })).toThrow(InvalidOptionError);
    expect(() => sirllm({ decay: 1.5 })).toThrow(/sirllm\.decay/);
    expect(() => sirllm({ sinks: -1 })).toThrow(/sirllm\.sinks/);
    expect(() => sirllm({ sinks: 2.5 })).toThrow(InvalidOptionError);
    expect(() => streamingLLM({ recent: Number.NaN })).toThrow(/streamingLLM\.recent/);
    expect(() => random({ seed: -3 })).toThrow(/random\.seed/);
  });
});
