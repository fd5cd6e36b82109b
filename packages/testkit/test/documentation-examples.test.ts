import { createSelectionPolicy, MemorySession, sirllm, topIndicesByScore } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../src/index.js';

describe('documentation examples run as written', () => {
  it('README: a session with a SirLLM policy', async () => {
    const backend = createReferenceBackend({ model: { layers: 2, seed: 1 } });
    const session = await MemorySession.create({
      backend,
      capacity: 512,
      policy: sirllm({ sinks: 4, decay: 0.9 }),
    });
    for (const message of ['My locker code is QX-7731.', 'Tell me about tea.', 'What was my code?']) {
      const reply = await session.respond(message, { maxTokens: 64, stop: ['\n'] });
      expect(typeof reply.text).toBe('string');
      expect(session.statistics.resident).toBeLessThanOrEqual(512);
    }
    expect(session.statistics.turns).toBe(3);
    await session.dispose();
  });

  it('docs/extending.md: a policy built on the selection base', () => {
    function leastSurprising({ sinks = 4 } = {}) {
      return createSelectionPolicy({
        name: 'least-surprising',
        sinks,
        recent: 0,
        decay: 1,
        choose: ({ ledger, count }) => {
          const negated = ledger.scores.map((score) => -score);
          return topIndicesByScore(negated, ledger.length, count);
        },
      });
    }
    const scores = Float64Array.from([9, 1, 8, 2, 7, 3, 6]);
    const keep = leastSurprising({ sinks: 1 }).select({ length: 7, scores }, { capacity: 6, incoming: 2 });
    expect(Array.from(keep)).toEqual([0, 1, 3, 5]); // sink, then the three lowest scores
  });
});
