import { ScriptedBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { CapacityExceededError, full, InvalidOptionError, MemorySession, sirllm } from '../src/index.js';

describe('MemorySession.score', () => {
  it('scores each candidate after the resident tokens and rolls the cache back', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 32, policy: sirllm() });
    await session.beginTurn({ incoming: 5 });
    await session.ingest([1, 2, 3]);
    const ledgerBefore = session.ledger.residentTokens();
    const scores = await session.score([[5], [6, 20], [7]], { argmax: true });
    // surprisal(t) = t % 13 + 0.5; 20 % 13 = 7 → 7.5
    expect(scores.map((score) => Array.from(score.surprisal))).toEqual([[5.5], [6.5, 7.5], [7.5]]);
    // greedy after the last resident token 3: 7·3 + 3 = 24; after 6: 45
    expect(scores.map((score) => Array.from(score.greedy ?? []))).toEqual([[24], [24, 45], [24]]);
    expect(session.ledger.residentTokens()).toEqual(ledgerBefore);
    expect(session.transcript.length).toBe(3);
    expect(backend.sequences[0]?.tokens).toEqual([1, 2, 3]);
    // The chosen candidate then enters the ledger with its surprisal.
    await session.ingest([6, 20], { role: 'assistant' });
    expect(Array.from(session.ledger.scores.subarray(3, 5))).toEqual([6.5, 7.5]);
  });

  it('leaves out greedy tokens unless asked, and needs a resident token to continue from', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 16 });
    await expect(session.score([[1]])).rejects.toBeInstanceOf(InvalidOptionError);
    await session.ingest([1]);
    const [score] = await session.score([[2]]);
    expect(score?.greedy).toBeUndefined();
  });

  it('makes room for the longest candidate without decaying', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 8,
      policy: sirllm({ sinks: 1, decay: 0.5 }),
      protectRecent: 0,
    });
    await session.beginTurn({ incoming: 8 });
    await session.ingest([1, 12, 2, 11, 3, 10, 4, 9]);
    const scoresBefore = Array.from(session.ledger.scores.subarray(0, 8));
    await session.score([[5, 5, 5], [6]]);
    // Three cells freed: the sink plus the 4 top scores (12.5, 11.5, 10.5, 9.5) stay.
    expect(session.ledger.residentTokens()).toEqual([1, 12, 11, 10, 9]);
    expect(session.ledger.scores[1]).toBe(scoresBefore[1]);
    expect(backend.sequences[0]?.maximumLength).toBe(8);
  });

  it('refuses a candidate that cannot fit under a policy that never evicts', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 4, policy: full() });
    await session.ingest([1, 2, 3]);
    await expect(session.score([[4], [4, 5]])).rejects.toBeInstanceOf(CapacityExceededError);
    expect(backend.sequences[0]?.tokens).toEqual([1, 2, 3]);
  });
});
