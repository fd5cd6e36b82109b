import {
  createSelectionPolicy,
  definePolicy,
  policyRegistry,
  random,
  sirllm,
  streamingLLM,
  topIndicesByScore,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { runPolicyConformance } from '../src/conformance/index.js';

// docs/extending.md: a user policy, registered so the CLI, the evaluation and snapshots know it.
function leastSurprising({ sinks = 4, recent = 0 } = {}) {
  return createSelectionPolicy({
    name: 'least-surprising',
    sinks,
    recent,
    decay: 1,
    choose: ({ ledger, count }) => {
      const negated = ledger.scores.map((score) => -score);
      return topIndicesByScore(negated, ledger.length, count);
    },
  });
}

policyRegistry.register(
  definePolicy({
    name: 'least-surprising',
    create: ({ sinks, recent }) => leastSurprising({ sinks, recent }),
  }),
);

runPolicyConformance('least-surprising (docs/extending.md)', () => leastSurprising({ sinks: 1 }));

/** Options each built-in must refuse, with the option its error names. */
const invalidOptions: Record<string, [string, () => unknown][]> = {
  sirllm: [
    ['sirllm.sinks', () => sirllm({ sinks: -1 })],
    ['sirllm.recent', () => sirllm({ recent: 2.5 })],
    ['sirllm.decay', () => sirllm({ decay: 0 })],
  ],
  'streaming-llm': [['streamingLLM.recent', () => streamingLLM({ recent: Number.NaN })]],
  random: [
    ['random.seed', () => random({ seed: -3 })],
    ['random.sinks', () => random({ sinks: 1.5 })],
  ],
  interval: [['interval.sinks', () => policyRegistry.get('interval').create({ sinks: -2 })]],
};

// Every registered policy (the built-ins, full included, and the user policy above), at its defaults and
// at the settings the former invariant loop used.
for (const definition of policyRegistry.list()) {
  runPolicyConformance(`${definition.name} (defaults)`, () => definition.create({}), {
    invalidOptions: invalidOptions[definition.name] ?? [],
  });
  runPolicyConformance(`${definition.name} (sinks 4, recent 2, decay 0.8, seed 3)`, () =>
    definition.create({ sinks: 4, recent: 2, decay: 0.8, seed: 3 }),
  );
}

describe('the user policy of docs/extending.md', () => {
  it('keeps the sinks, then the lowest scores, as the doc says', () => {
    const scores = Float64Array.from([9, 1, 8, 2, 7, 3, 6]);
    const keep = leastSurprising({ sinks: 1 }).select({ length: 7, scores }, { capacity: 6, incoming: 2 });
    expect(Array.from(keep)).toEqual([0, 1, 3, 5]); // sink, then the three lowest scores
  });

  it('is registered beside the built-ins (full included), and each entry builds its own name', () => {
    const names = policyRegistry.list().map((definition) => definition.name);
    expect(names.at(-1)).toBe('least-surprising');
    expect(names).toContain('full');
    expect(policyRegistry.find(' Least-Surprising ')?.create({ sinks: 2 }).sinks).toBe(2);
    for (const definition of policyRegistry.list()) expect(definition.create({}).name).toBe(definition.name);
  });
});
