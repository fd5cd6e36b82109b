import { letterVocabulary, modularScript, ScriptedBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  CapacityExceededError,
  DisposedError,
  full,
  InvalidOptionError,
  MemorySession,
  SessionBusyError,
  sirllm,
  streamingLLM,
} from '../src/index.js';

/** The scripted backend's default rules: surprisal t mod 13 + 0.5. */
const defaultScript = modularScript();
const tokensOf = (length: number, offset = 0) => Array.from({ length }, (_, i) => (i + offset) % 64);

describe('MemorySession', () => {
  it('applies the decay exactly once per beginTurn and never mid-turn', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 64,
      policy: sirllm({ decay: 0.5 }),
      chunkSize: 4,
    });
    await session.beginTurn({ incoming: 10 });
    await session.ingest(tokensOf(10, 1));
    const afterTurnOne = Array.from(session.ledger.scores.subarray(0, 10));
    expect(afterTurnOne[1]).toBe(defaultScript.surprisalOf(2));

    await session.beginTurn({ incoming: 9 });
    const decayed = Array.from(session.ledger.scores.subarray(0, 10));
    expect(decayed.slice(1)).toEqual(afterTurnOne.slice(1).map((score) => score * 0.5));

    await session.ingest(tokensOf(9, 20)); // three chunks: no further decay
    await session.generate({ maxTokens: 5 });
    expect(Array.from(session.ledger.scores.subarray(0, 10)).slice(1)).toEqual(decayed.slice(1));
    expect(session.ledger.scores[10]).toBe(defaultScript.surprisalOf(20)); // the new turn enters undecayed
    expect(session.ledger.turns[10]).toBe(1);
    expect(session.statistics.turns).toBe(2);
  });

  it('makes room for the turn before decaying, as the reference does', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 12,
      policy: sirllm({ sinks: 1, decay: 0.5 }),
      protectRecent: 0,
    });
    await session.ingest([1, 12, 2, 11, 3, 10, 4, 9, 5, 8]);
    // scores: ∞, 12.5, 2.5, 11.5, 3.5, 10.5, 4.5, 9.5, 5.5, 8.5; room for 4 incoming = 8 → top-7 by score
    // = indices {0, 1, 3, 5, 7, 8, 9}; the sink overlaps, so the newest unkept token (index 6) fills the 8th cell.
    await session.beginTurn({ incoming: 4 });
    expect(session.ledger.residentTokens()).toEqual([1, 12, 11, 10, 4, 9, 5, 8]);
    expect(session.ledger.scores[1]).toBe(12.5 * 0.5);
  });

  it('streams a 20,000-token scripted conversation within capacity 256, chunking a 1,000-token turn', async () => {
    const backend = new ScriptedBackend({ vocabulary: letterVocabulary(64) });
    const session = await MemorySession.create({
      backend,
      capacity: 256,
      policy: sirllm({ decay: 0.8 }),
      chunkSize: 128,
    });
    const sequence = backend.sequences[0]!;
    let turn = 0;
    while (session.statistics.transcriptLength < 20_000) {
      const input = tokensOf(turn === 3 ? 1000 : 40 + (turn % 50), turn);
      const appendsBefore = backend.calls.append;
      await session.beginTurn({ incoming: input.length });
      await session.ingest(input);
      if (turn === 3) expect(backend.calls.append - appendsBefore).toBeGreaterThanOrEqual(1000 / 128);
      const evictionsBefore = session.statistics.evictions;
      const response = await session.generate({ maxTokens: turn === 5 ? 400 : 30 });
      if (turn === 5) {
        expect(response.tokens).toHaveLength(400); // longer than the cache: evicted while generating
        expect(session.statistics.evictions).toBeGreaterThan(evictionsBefore);
      }
      expect(sequence.maximumLength).toBeLessThanOrEqual(256);
      expect(session.ledger.residentTokens()).toEqual(sequence.tokens);
      turn++;
    }
    const statistics = session.statistics;
    expect(statistics.resident).toBeLessThanOrEqual(256);
    expect(statistics.evicted + statistics.resident).toBe(statistics.transcriptLength);
    expect(statistics.transcriptLength).toBe(statistics.ingested + statistics.generated);
    expect(session.ledger.tokens[0]).toBe(0); // the first sink is still the first token of the stream
    expect(session.ledger.streamPositions[0]).toBe(0);
  });

  it('keeps a resident mirror of the backend and a full transcript after evictions', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 32, policy: streamingLLM({ sinks: 2 }) });
    const all: number[] = [];
    for (let turn = 0; turn < 6; turn++) {
      const input = tokensOf(15, turn * 3);
      all.push(...input);
      await session.respond(input, { maxTokens: 3 });
      all.push(...backend.sequences[0]!.tokens.slice(-3));
    }
    expect(session.transcript.tokens()).toEqual(all);
    const newest = session.ledger.length - 2;
    expect(newest).toBeGreaterThanOrEqual(28);
    expect(session.ledger.residentTokens()).toEqual([...all.slice(0, 2), ...all.slice(-newest)]);
    const positions = Array.from(session.ledger.streamPositions.subarray(2, session.ledger.length));
    expect(positions).toEqual(Array.from({ length: newest }, (_, i) => all.length - newest + i));
  });

  it('never evicts the newest protected tokens while generating', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 40,
      protectRecent: 8,
      decodeHeadroom: 5,
    });
    await session.ingest(tokensOf(30));
    let previous: number[] = [];
    await session.generate({
      maxTokens: 60,
      onToken: () => {
        const streamPositions = Array.from(session.ledger.streamPositions.subarray(0, session.ledger.length));
        const newest = streamPositions[streamPositions.length - 1] as number;
        for (let position = newest - 8; position <= newest; position++) {
          if (previous.includes(position) || position === newest) expect(streamPositions).toContain(position);
        }
        previous = streamPositions;
      },
    });
    expect(session.statistics.evictions).toBeGreaterThan(0);
  });

  it('stops on stop sequences, end-of-generation tokens and max tokens', async () => {
    // next token after t is (7t + 3) mod 64 → from 1: 10, 9, 2, 17, 58, … ("k j c r g" as letters)
    const backend = new ScriptedBackend({ endOfGeneration: [58] });
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest([1]);
    const stopped = await session.generate({ stop: ['jc'], maxTokens: 10 });
    expect(stopped).toMatchObject({ text: 'k', finishReason: 'stop-sequence', tokens: [10, 9, 2] });
    const ended = await session.generate({ maxTokens: 10 });
    expect(ended).toMatchObject({ finishReason: 'end-of-generation', endToken: 58, tokens: [17] });
    const limited = await session.generate({ maxTokens: 2, stopTokens: [] });
    expect(limited.finishReason).toBe('end-of-generation'); // 58 comes first again: end tokens are not fed
    const fromOther = await (async () => {
      await session.ingest([3]);
      return session.generate({ maxTokens: 2 });
    })();
    expect(fromOther).toMatchObject({ finishReason: 'max-tokens', tokens: [24, 43] });
  });

  it('streams text without ever releasing part of a stop sequence', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest([1]);
    const pieces: string[] = [];
    const result = await session.generate({
      stop: ['cr'],
      maxTokens: 10,
      onToken: ({ text }) => pieces.push(text),
    });
    expect(result.text).toBe('kj');
    expect(pieces.join('')).toBe('kj');
  });

  it('stays usable after an abort in the middle of ingest and generate', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64, chunkSize: 8 });
    const controller = new AbortController();
    let fed = 0;
    backend.beforeToken = () => {
      if (++fed === 13) controller.abort(new Error('user cancelled'));
    };
    const error = await session.ingest(tokensOf(30), { signal: controller.signal }).catch((caught) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).partial?.tokens).toEqual(tokensOf(8));
    expect(session.ledger.residentTokens()).toEqual(tokensOf(8));
    expect(backend.sequences[0]!.tokens).toEqual(tokensOf(8));

    backend.beforeToken = () => {};
    const generation = new AbortController();
    let generated = 0;
    const aborted = await session
      .generate({
        maxTokens: 50,
        signal: generation.signal,
        onToken: () => ++generated === 3 && generation.abort(),
      })
      .catch((caught) => caught);
    expect(AbortedError.isInstance(aborted)).toBe(true);
    expect((aborted as AbortedError).partial?.tokens).toHaveLength(3);
    expect(session.ledger.residentTokens()).toEqual(backend.sequences[0]!.tokens);

    const after = await session.respond(tokensOf(5), { maxTokens: 3 });
    expect(after.tokens).toHaveLength(3);
    expect(session.transcript.length).toBe(session.ledger.length);
  });

  it('rejects a pre-aborted signal without feeding anything', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64 });
    const error = await session
      .ingest(tokensOf(5), { signal: AbortSignal.abort() })
      .catch((caught) => caught);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(session.statistics.transcriptLength).toBe(0);
  });
});

describe('MemorySession: bad input leaves state intact', () => {
  it('rejects invalid options, naming them', async () => {
    const backend = new ScriptedBackend();
    const reject = (options: object) => MemorySession.create({ backend, capacity: 64, ...options });
    await expect(reject({ capacity: 0 })).rejects.toThrow(/"capacity"/);
    await expect(reject({ capacity: 12.5 })).rejects.toThrow(InvalidOptionError);
    await expect(reject({ capacity: 4, policy: sirllm({ sinks: 4 }), protectRecent: 0 })).rejects.toThrow(
      /never evicted/,
    );
    await expect(
      reject({ capacity: 8, policy: sirllm({ sinks: 2, recent: 3 }), protectRecent: 3 }),
    ).rejects.toThrow(InvalidOptionError);
    await expect(reject({ chunkSize: 0 })).rejects.toThrow(/chunkSize/);
    await expect(reject({ decodeHeadroom: -1 })).rejects.toThrow(/decodeHeadroom/);
    await expect(reject({ policy: {} })).rejects.toThrow(/policy/);
    await expect(
      MemorySession.create({
        backend: new Proxy(backend, {
          get: (target, key) => (key === 'specificationVersion' ? 'v0' : Reflect.get(target, key)),
        }),
        capacity: 8,
      }),
    ).rejects.toThrow(/specificationVersion/);
    expect(backend.sequences).toHaveLength(0);
  });

  it('rejects bad calls without changing the session', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 32, policy: full() });
    await session.ingest(tokensOf(20));
    const before = { ...session.statistics, resident: session.ledger.residentTokens() };
    await expect(session.ingest([1, 2, 64])).rejects.toThrow(InvalidOptionError);
    await expect(session.ingest([1, -1])).rejects.toThrow(/token ids/);
    await expect(session.ingest(tokensOf(13))).rejects.toThrow(CapacityExceededError);
    await expect(session.beginTurn({ incoming: -2 })).rejects.toThrow(/incoming/);
    await expect(session.generate({ maxTokens: 1.5 })).rejects.toThrow(/maxTokens/);
    await expect(session.generate({ stop: [''] })).rejects.toThrow(/stop/);
    await expect(session.ingest(tokensOf(2), { role: 'robot' as never })).rejects.toThrow(/role/);
    expect({ ...session.statistics, resident: session.ledger.residentTokens() }).toEqual(before);
    expect(backend.sequences[0]!.tokens).toEqual(before.resident);
  });

  it('refuses a second operation while one runs, and any call after dispose', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 32 });
    const running = session.ingest(tokensOf(10));
    await expect(session.generate()).rejects.toThrow(SessionBusyError);
    await running;
    await session.dispose();
    await session.dispose();
    expect(backend.sequences[0]!.disposed).toBe(true);
    await expect(session.ingest([1])).rejects.toThrow(DisposedError);
    await expect(session.generate()).rejects.toSatisfy((error) => DisposedError.isInstance(error));
  });

  it('rewinds to a stream position: later tokens leave the cache, the ledger and the transcript', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 24, policy: streamingLLM({ sinks: 2 }) });
    for (let turn = 0; turn < 4; turn++) await session.respond(tokensOf(10, turn * 5), { maxTokens: 2 });
    expect(session.statistics.evicted).toBeGreaterThan(0);
    const kept = session.transcript.tokens(0, 40);
    await session.rewind(40);
    expect(session.transcript.tokens()).toEqual(kept);
    const positions = Array.from(session.ledger.streamPositions.subarray(0, session.ledger.length));
    expect(positions.every((position) => position < 40)).toBe(true);
    expect(positions).toContain(39);
    expect(backend.sequences[0]!.tokens).toEqual(session.ledger.residentTokens());
    await expect(session.rewind(41)).rejects.toThrow(/streamPosition/);
    const reply = await session.respond(tokensOf(3), { maxTokens: 2 });
    expect(session.transcript.length).toBe(40 + 3 + reply.tokens.length);
  });

  it('explains when the backend cannot save or restore snapshots', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 16 });
    await session.ingest([1, 2, 3]);
    await expect(session.snapshot()).rejects.toThrow(/cannot save snapshots/);
    await expect(MemorySession.restore({ backend, snapshot: new Uint8Array(8) })).rejects.toThrow(
      InvalidOptionError,
    );
    expect(session.ledger.residentTokens()).toEqual([1, 2, 3]);
  });

  it('asks for a prompt before generating from an empty cache', async () => {
    const session = await MemorySession.create({ backend: new ScriptedBackend(), capacity: 16 });
    await expect(session.generate()).rejects.toThrow(/ingest a prompt first/);
  });
});

describe('MemorySession: review regressions', () => {
  it('rolls the backend back when it breaks the surprisal contract, so ledger and cache stay in step', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 16, protectRecent: 0 });
    backend.script = modularScript({ surprisal: (token) => (token === 5 ? Number.NaN : 1) });
    await expect(session.ingest([1, 2, 5, 3])).rejects.toThrow(/invalid surprisal/);
    expect(backend.sequences[0]!.tokens).toEqual([]);
    backend.script = modularScript({ surprisal: () => 1 });
    await session.ingest(tokensOf(12, 6));
    expect(backend.sequences[0]!.tokens).toEqual(session.ledger.residentTokens());
    backend.script = modularScript({ surprisal: () => -1e-6 }); // rounding just below zero is accepted as 0
    await session.ingest([7]);
    expect(session.ledger.scores[session.ledger.length - 1]).toBe(0);
  });

  it('respond checks every argument before it evicts, decays or begins a turn', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 16,
      policy: sirllm({ sinks: 1, decay: 0.5 }),
      protectRecent: 0,
    });
    await session.ingest(tokensOf(12, 1));
    const snapshot = () => ({
      resident: session.ledger.residentTokens(),
      scores: Array.from(session.ledger.scores.subarray(0, session.ledger.length)),
      statistics: session.statistics,
    });
    const before = snapshot();
    await expect(session.respond([1, 2, 3, 4, 5, 6, 999])).rejects.toThrow(InvalidOptionError);
    await expect(session.respond([1, 2], { maxTokens: -1 })).rejects.toThrow(/maxTokens/);
    await expect(session.respond([1, 2], { stop: [''] })).rejects.toThrow(/stop/);
    await expect(session.respond([1, 2], { signal: AbortSignal.abort() })).rejects.toSatisfy(
      AbortedError.isInstance,
    );
    expect(snapshot()).toEqual(before);
  });

  it('respond is one operation: no other call can slip in between its steps', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest([1, 2, 3]);
    const responding = session.respond([4, 5], { maxTokens: 2 });
    const intruders: Promise<unknown>[] = [];
    for (let delay = 0; delay < 12; delay++) {
      intruders.push(
        (async () => {
          for (let i = 0; i < delay; i++) await Promise.resolve();
          return session.ingest([9, 9, 9]);
        })().catch((error: unknown) => error),
      );
    }
    const reply = await responding;
    const outcomes = await Promise.all(intruders);
    expect(outcomes.every((outcome) => SessionBusyError.isInstance(outcome))).toBe(true);
    expect(session.transcript.tokens()).toEqual([1, 2, 3, 4, 5, ...reply.tokens]);
  });

  it('full(): a generation that fills the cache stops with "cache-full" and keeps what it generated', async () => {
    const backend = new ScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 10, policy: full() });
    await session.ingest(tokensOf(6, 1));
    const result = await session.generate({ maxTokens: 20 });
    expect(result.finishReason).toBe('cache-full');
    expect(result.tokens).toHaveLength(4);
    expect(session.transcript.tokens().slice(6)).toEqual(result.tokens);
  });

  it('matches the reference algorithm turn by turn with the default options (one eviction per turn)', async () => {
    // paper.md §2, written out independently: before each turn of n tokens, if resident + n > C, keep
    // top-(C − s − n) by score (ties to the earlier token) ∪ sinks, fill with the newest; then decay all.
    const capacity = 64;
    const sinks = 4;
    const decay = 0.7;
    const script = modularScript({ surprisal: (token) => ((token * 37) % 23) + 0.25 });
    const backend = new ScriptedBackend({ script });
    const session = await MemorySession.create({ backend, capacity, policy: sirllm({ sinks, decay }) });
    let reference: { token: number; score: number }[] = [];
    let seed = 9;
    const nextRandom = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let turn = 0; turn < 40; turn++) {
      const turnTokens = Array.from({ length: 1 + Math.floor(nextRandom() * 59) }, () =>
        Math.floor(nextRandom() * 64),
      );
      const n = turnTokens.length;
      if (reference.length + n > capacity) {
        const ranked = reference
          .map((entry, index) => ({ ...entry, index }))
          .sort((a, b) => b.score - a.score || a.index - b.index)
          .slice(0, Math.max(0, capacity - sinks - n))
          .map((entry) => entry.index);
        const keep = new Set([...ranked, ...Array.from({ length: sinks }, (_, i) => i)]);
        for (let index = reference.length - 1; index >= 0 && keep.size < capacity - n; index--)
          keep.add(index);
        reference = reference.filter((_, index) => keep.has(index));
      }
      reference = reference.map((entry) => ({ ...entry, score: entry.score * decay }));
      for (const token of turnTokens) {
        reference.push({
          token,
          score: reference.length === 0 ? Number.POSITIVE_INFINITY : script.surprisalOf(token),
        });
      }
      await session.beginTurn({ incoming: n });
      await session.ingest(turnTokens);
      expect(session.ledger.residentTokens(), `turn ${turn}`).toEqual(reference.map((entry) => entry.token));
    }
    expect(session.statistics.evictions).toBeGreaterThan(10);
  });
});
