import { describe, expect, it } from 'vitest';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { full } from './full.js';
import { interval } from './interval.js';
import { createPolicyRegistry, definePolicy, policyRegistry } from './policy-registry.js';
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

describe('policy registry', () => {
  it('lists the built-ins in table order and finds them by name or alias', () => {
    expect(policyRegistry.list().map((definition) => definition.name)).toEqual([
      'streaming-llm',
      'random',
      'interval',
      'sirllm',
      'full',
    ]);
    for (const alias of ['stream', ' StreamingLLM ', 'streaming', 'streaming-llm']) {
      expect(policyRegistry.find(alias)?.name).toBe('streaming-llm');
    }
    expect(policyRegistry.find('nope')).toBeUndefined();
    expect(() => policyRegistry.get('nope')).toThrow(/one of streaming-llm, random, interval, sirllm, full/);
  });

  it('builds each built-in with the settings it reads, its defaults for the rest', () => {
    const settings = { sinks: 2, recent: 1, decay: 0.5, seed: 9 };
    const built = Object.fromEntries(
      policyRegistry.list().map((definition) => [definition.name, definition.create(settings)]),
    );
    expect(built.sirllm).toMatchObject({ name: 'sirllm', sinks: 2, recent: 1, decay: 0.5 });
    expect(built['streaming-llm']).toMatchObject({ name: 'streaming-llm', sinks: 2, recent: 1, decay: 1 });
    expect(built.interval).toMatchObject({ name: 'interval', sinks: 2, recent: 1, decay: 1 });
    expect(built.full).toMatchObject({ name: 'full', sinks: 0, recent: 0, evicts: false });
    const scores = new Array(50).fill(1);
    expect(keep(built.random as RetentionPolicy, scores, 20, 5)).toEqual(
      keep(random(settings), scores, 20, 5),
    );
    expect(policyRegistry.get('sirllm').create({})).toMatchObject({ sinks: 4, recent: 0, decay: 1 });
    expect(() => policyRegistry.get('sirllm').create({ decay: 2 })).toThrow(/sirllm\.decay/);
    expect(policyRegistry.get('random').restorable).toBe(false);
  });

  it('registers user policies and refuses taken names and bad definitions', () => {
    const registry = createPolicyRegistry(policyRegistry.list());
    const mine = registry.register({ name: 'mine', aliases: ['my-policy'], create: () => streamingLLM() });
    expect(registry.find('MY-POLICY')).toBe(mine);
    expect(registry.list().at(-1)).toBe(mine);
    expect(() => registry.register({ name: 'Stream', create: () => full() })).toThrow(InvalidOptionError);
    expect(() => registry.register({ name: 'other', aliases: ['mine'], create: () => full() })).toThrow(
      /taken by the "mine" policy/,
    );
    expect(() => definePolicy({ name: ' ', create: () => full() })).toThrow(/definePolicy\.name/);
    expect(() => definePolicy({ name: 'x' } as never)).toThrow(/definePolicy\.create/);
    expect(policyRegistry.find('mine')).toBeUndefined();
  });
});

describe('select requests', () => {
  it('rejects bad requests with InvalidOptionError and keeps refusing overflows with CapacityExceededError', () => {
    for (const policy of [sirllm(), full()]) {
      expect(() => policy.select(ledgerOf([1, 2]), { capacity: 0, incoming: 0 })).toThrow(/select\.capacity/);
      expect(() => policy.select(ledgerOf([1, 2]), { capacity: 8, incoming: -1 })).toThrow(
        /select\.incoming/,
      );
      expect(() => policy.select(ledgerOf([1, 2]), { capacity: 8, incoming: 1, protectNewest: 0.5 })).toThrow(
        InvalidOptionError,
      );
      expect(() => policy.select(ledgerOf(new Array(8).fill(1)), { capacity: 8, incoming: 9 })).toThrow(
        CapacityExceededError,
      );
    }
  });
});
