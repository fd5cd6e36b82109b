import {
  AbortedError,
  type KVBackend,
  type KVSequence,
  MemorySession,
  sirllm,
  streamingLLM,
  surprisalFromLogits,
  wrapBackend,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import {
  createReferenceBackend,
  createTinyLlama,
  type ReferenceSequence,
  referenceForward,
} from '../src/index.js';

/**
 * Records the largest resident length the sequence of `backend` ever reached, after every call, and
 * drops the end-of-generation tokens so that replies run to `maxTokens`.
 */
function watchLengths(backend: KVBackend): {
  backend: KVBackend;
  maximum: () => number;
  sequence: () => KVSequence;
} {
  let maximum = 0;
  let created: KVSequence | undefined;
  const watched = wrapBackend(backend, {
    overrideInfo: (info) => ({ ...info, specialTokens: { ...info.specialTokens, endOfGeneration: [] } }),
    createSequence: async ({ options, next }) => {
      created = await next(options);
      return created;
    },
    sequence: {
      async append({ tokens, options, sequence, next }) {
        const result = await next(tokens, options);
        maximum = Math.max(maximum, sequence.length);
        return result;
      },
    },
  });
  return { backend: watched, maximum: () => maximum, sequence: () => created as KVSequence };
}

const sentence = (turn: number) =>
  `Turn ${turn}: the ${['red', 'blue', 'green'][turn % 3]} kite flew over hill number ${turn * 17}. `;

describe('MemorySession on the reference backend', () => {
  it('streams a 20,000-token conversation within capacity 256: long turn, long reply, abort, recovery', async () => {
    const watched = watchLengths(createReferenceBackend({ model: { layers: 2, seed: 5 } }));
    const session = await MemorySession.create({
      backend: watched.backend,
      capacity: 256,
      policy: sirllm({ decay: 0.8 }),
      chunkSize: 96,
    });
    const sequence = () => watched.sequence() as ReferenceSequence;
    let turn = 0;
    while (session.statistics.transcriptLength < 20_000) {
      const input = turn === 2 ? sentence(turn).repeat(32) : sentence(turn);
      const tokens = session.backend.tokenize(input);
      if (turn === 2) expect(tokens.length).toBeGreaterThan(1000);
      await session.beginTurn({ incoming: tokens.length });
      await session.ingest(tokens);
      if (turn === 4) {
        const evictionsBefore = session.statistics.evictions;
        const reply = await session.generate({ maxTokens: 300, sampling: { temperature: 1, seed: 4 } });
        expect(reply.tokens.length).toBe(300);
        expect(session.statistics.evictions).toBeGreaterThan(evictionsBefore);
      } else if (turn === 6) {
        const controller = new AbortController();
        let generated = 0;
        const error = await session
          .generate({
            maxTokens: 50,
            signal: controller.signal,
            onToken: () => ++generated === 5 && controller.abort(),
          })
          .catch((caught: unknown) => caught);
        expect(AbortedError.isInstance(error)).toBe(true);
      } else {
        await session.generate({ maxTokens: 24, sampling: { temperature: 0.8, seed: turn } });
      }
      expect(Array.from(sequence().residentTokens())).toEqual(session.ledger.residentTokens());
      turn++;
    }
    expect(watched.maximum()).toBeLessThanOrEqual(256);
    const statistics = session.statistics;
    expect(statistics.transcriptLength).toBeGreaterThanOrEqual(20_000);
    expect(statistics.resident + statistics.evicted).toBe(statistics.transcriptLength);
    expect(Array.from({ length: 4 }, (_, i) => session.ledger.streamPositions[i])).toEqual([0, 1, 2, 3]);
  });

  it('after many evictions, a new turn is scored exactly as a fresh forward over the resident tokens (1 layer)', async () => {
    const model = createTinyLlama({ layers: 1, seed: 8 });
    const backend = createReferenceBackend({ model });
    for (const policy of [sirllm({ decay: 0.7 }), streamingLLM()]) {
      const session = await MemorySession.create({ backend, capacity: 96, policy, protectRecent: 4 });
      for (let turn = 0; turn < 12; turn++) await session.respond(sentence(turn), { maxTokens: 8 });
      expect(session.statistics.evicted).toBeGreaterThan(0);
      const tokens = backend.tokenize('And what colour was the last kite?');
      await session.beginTurn({ incoming: tokens.length });
      const resident = session.ledger.residentTokens();
      const { surprisal } = await session.ingest(tokens);
      const logits = referenceForward(model, [...resident, ...tokens]);
      tokens.forEach((token, i) => {
        const expected = surprisalFromLogits(logits[resident.length - 1 + i] as Float64Array, token);
        expect(Math.abs((surprisal[i] as number) - expected)).toBeLessThan(1e-5 * Math.max(1, expected));
      });
      await session.dispose();
    }
  });

  it('scores every token in the ledger with its surprisal at the time it arrived', async () => {
    const model = createTinyLlama({ layers: 2, seed: 9 });
    const backend = createReferenceBackend({ model });
    const session = await MemorySession.create({ backend, capacity: 512, policy: sirllm({ decay: 0.5 }) });
    await session.respond(sentence(1), { maxTokens: 10 });
    await session.respond(sentence(2), { maxTokens: 10 });
    const all = session.transcript.tokens();
    const logits = referenceForward(model, all);
    const turnOfToken = Array.from(session.ledger.turns.subarray(0, all.length));
    for (let i = 1; i < all.length; i++) {
      const expected = surprisalFromLogits(logits[i - 1] as Float64Array, all[i] as number);
      const decays = 1 - (turnOfToken[i] as number); // turn-0 tokens were decayed once, by the second beginTurn
      expect(Math.abs((session.ledger.scores[i] as number) - expected * 0.5 ** decays)).toBeLessThan(1e-5);
    }
    expect(session.ledger.scores[0]).toBe(Number.POSITIVE_INFINITY);
  });
});
