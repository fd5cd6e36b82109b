import {
  decodeSessionSnapshot,
  encodeSessionSnapshot,
  fnv1a32,
  InvalidOptionError,
  MemorySession,
  policyRegistry,
  random,
  SirLLMError,
  sirllm,
  streamingLLM,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend, createTinyLlama } from '../src/index.js';

const model = createTinyLlama({ layers: 2, seed: 12 });
const turns = ['The parcel code is ZK-41.', 'What about lunch?', 'Tell me a story about a fox.', 'And then?'];

/**
 * Bytes in a layout from before the shared snapshot envelope, written field by field as the old format
 * did: `magic`, then `fields` (u32 numbers, i32 for negative ones, f64 for `{ f64 }`, length-prefixed
 * UTF-8 strings, raw bytes), then the FNV-1a checksum of everything before it.
 */
function legacyBytes(magic: string, fields: (number | string | { f64: number } | Uint8Array)[]): Uint8Array {
  const chunks: Uint8Array[] = [new TextEncoder().encode(magic)];
  for (const field of fields) {
    if (field instanceof Uint8Array) {
      chunks.push(field);
    } else if (typeof field === 'string') {
      const text = new TextEncoder().encode(field);
      chunks.push(new Uint8Array(Uint32Array.of(text.length).buffer), text);
    } else if (typeof field === 'number') {
      chunks.push(new Uint8Array((field < 0 ? Int32Array.of(field) : Uint32Array.of(field)).buffer));
    } else {
      chunks.push(new Uint8Array(Float64Array.of(field.f64).buffer));
    }
  }
  const body = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  const bytes = new Uint8Array(body.length + 4);
  bytes.set(body);
  new DataView(bytes.buffer).setUint32(body.length, fnv1a32(body), true);
  return bytes;
}

async function conversation(policy = sirllm({ decay: 0.6 }), capacity = 64) {
  const session = await MemorySession.create({
    backend: createReferenceBackend({ model }),
    capacity,
    policy,
  });
  for (const input of turns) await session.respond(input, { maxTokens: 8 });
  return session;
}

describe('MemorySession snapshots', () => {
  it('a restored session continues exactly like the original, evictions included', async () => {
    const original = await conversation();
    expect(original.statistics.evicted).toBeGreaterThan(0);
    const bytes = await original.snapshot();
    const restored = await MemorySession.restore({
      backend: createReferenceBackend({ model }),
      snapshot: bytes,
    });
    expect(restored.statistics).toEqual(original.statistics);
    expect(restored.transcript.tokens()).toEqual(original.transcript.tokens());
    expect(restored.policy.decay).toBe(0.6);
    for (const input of ['Which code did I give you?', 'Thanks!']) {
      const [a, b] = [
        await original.respond(input, { maxTokens: 12 }),
        await restored.respond(input, { maxTokens: 12 }),
      ];
      expect(b.tokens).toEqual(a.tokens);
      expect(Array.from(b.surprisal)).toEqual(Array.from(a.surprisal));
    }
    expect(Array.from(restored.ledger.scores.subarray(0, restored.ledger.length))).toEqual(
      Array.from(original.ledger.scores.subarray(0, original.ledger.length)),
    );
    expect(restored.ledger.residentTokens()).toEqual(original.ledger.residentTokens());
  });

  it('refuses truncated, altered and foreign snapshots, and the live session is untouched', async () => {
    const live = await conversation();
    const bytes = await live.snapshot();
    const before = { statistics: live.statistics, resident: live.ledger.residentTokens() };
    const altered = bytes.slice();
    const middle = Math.floor(altered.length / 2);
    altered[middle] = (altered[middle] as number) ^ 0x40;
    const foreignBackend = createReferenceBackend({ model: createTinyLlama({ layers: 2, seed: 13 }) });
    const attempts: [string, () => Promise<unknown>, RegExp][] = [
      [
        'truncated',
        () => MemorySession.restore({ backend: live.backend, snapshot: bytes.slice(0, -9) }),
        /checksum|ends early/,
      ],
      ['altered', () => MemorySession.restore({ backend: live.backend, snapshot: altered }), /checksum/],
      ['foreign', () => MemorySession.restore({ backend: foreignBackend, snapshot: bytes }), /fingerprint/],
      [
        'not a snapshot',
        () => MemorySession.restore({ backend: live.backend, snapshot: new Uint8Array(40) }),
        /header/,
      ],
      [
        'another policy',
        () => MemorySession.restore({ backend: live.backend, snapshot: bytes, policy: streamingLLM() }),
        /policy the snapshot was taken with/,
      ],
    ];
    for (const [label, attempt, message] of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
      expect((error as Error).message, label).toMatch(message);
    }
    expect({ statistics: live.statistics, resident: live.ledger.residentTokens() }).toEqual(before);
    const reply = await live.respond('Still there?', { maxTokens: 4 });
    expect(reply.tokens.length).toBeGreaterThan(0);
  });

  it('validates well-formed but impossible snapshots before anything is allocated or leaked', async () => {
    const live = await conversation();
    const contents = decodeSessionSnapshot(await live.snapshot());
    const forged = (changes: Partial<typeof contents>) => encodeSessionSnapshot({ ...contents, ...changes });
    const backend = createReferenceBackend({ model });
    const attempts: [string, Uint8Array, RegExp][] = [
      ['a huge capacity', forged({ capacity: 2 ** 32 - 1 }), /capacity/],
      [
        'a token outside the vocabulary',
        forged({
          transcript: { ...contents.transcript, tokens: contents.transcript.tokens.map(() => 99_999) },
        }),
        /vocabulary/,
      ],
      [
        'NaN scores',
        forged({ ledger: { ...contents.ledger, scores: contents.ledger.scores.map(() => Number.NaN) } }),
        /scores/,
      ],
    ];
    for (const [label, snapshot, message] of attempts) {
      const error = await MemorySession.restore({ backend, snapshot }).catch((caught: unknown) => caught);
      expect(SirLLMError.isInstance(error), label).toBe(true);
      expect((error as Error).message, label).toMatch(message);
    }
    await expect(
      MemorySession.restore({
        backend,
        snapshot: await live.snapshot(),
        policy: sirllm({ sinks: 2, decay: 0.6 }),
      }),
    ).rejects.toThrow(/sinks 4/);
  });

  it('asks for the policy when the snapshot cannot rebuild it', async () => {
    const session = await conversation(random({ seed: 4 }));
    const bytes = await session.snapshot();
    await expect(MemorySession.restore({ backend: session.backend, snapshot: bytes })).rejects.toThrow(
      /pass it as `policy`/,
    );
    const restored = await MemorySession.restore({
      backend: session.backend,
      snapshot: bytes,
      policy: random({ seed: 4 }),
    });
    expect(restored.statistics.turns).toBe(turns.length);
  });

  it('restores a snapshot of each built-in policy through the policy registry', async () => {
    for (const definition of policyRegistry.list()) {
      const policy = definition.create({ sinks: 3, recent: 1, decay: 0.7, seed: 5 });
      const original = await conversation(policy, policy.evicts ? 64 : 512);
      const bytes = await original.snapshot();
      if (definition.restorable === false) {
        const error = await MemorySession.restore({ backend: original.backend, snapshot: bytes }).catch(
          (caught: unknown) => caught,
        );
        expect(InvalidOptionError.isInstance(error), definition.name).toBe(true);
        expect((error as Error).message).toMatch(/pass it as `policy`/);
        continue;
      }
      const restored = await MemorySession.restore({
        backend: createReferenceBackend({ model }),
        snapshot: bytes,
      });
      const { name, sinks, recent, decay, evicts } = restored.policy;
      expect({ name, sinks, recent, decay, evicts }, definition.name).toEqual({
        name: policy.name,
        sinks: policy.sinks,
        recent: policy.recent,
        decay: policy.decay,
        evicts: policy.evicts,
      });
      const [a, b] = [
        await original.respond('Which code did I give you?', { maxTokens: 8 }),
        await restored.respond('Which code did I give you?', { maxTokens: 8 }),
      ];
      expect(b.tokens, definition.name).toEqual(a.tokens);
      expect(restored.ledger.residentTokens(), definition.name).toEqual(original.ledger.residentTokens());
    }
  });

  it('refuses snapshots written in the layouts before the shared envelope, asking to re-create the session', async () => {
    const backend = createReferenceBackend({ model });
    const { fingerprint } = backend.info;
    const modelHash = Number.parseInt(fingerprint.slice('tiny-llama:'.length), 16);
    // The old reference-backend sequence layout (magic SIRLLMKV, version 1): an empty cache.
    const { layers, keyValueHeads, headDimension, vocabularySize } = model.config;
    const oldSequence = legacyBytes('SIRLLMKV', [
      1,
      modelHash,
      layers,
      keyValueHeads * headDimension,
      vocabularySize,
      0,
      0,
    ]);
    // The old session layout (magic SIRLLMSS, version 1): fingerprint, capacity 64, sirllm (sinks 4,
    // recent 0, decay 1), turn −1, four counters, an empty ledger and transcript, the sequence bytes.
    const oldSession = legacyBytes('SIRLLMSS', [
      1,
      fingerprint,
      64,
      'sirllm',
      4,
      0,
      { f64: 1 },
      -1,
      { f64: 0 },
      { f64: 0 },
      { f64: 0 },
      { f64: 0 },
      0,
      0,
      oldSequence.length,
      oldSequence,
    ]);
    const attempts: [string, () => Promise<unknown>, RegExp][] = [
      [
        'old session',
        () => MemorySession.restore({ backend, snapshot: oldSession }),
        /written by an older version of @sirllm\/core.*re-create the session/,
      ],
      [
        'old sequence',
        () => backend.restoreSequence(oldSequence, { capacity: 64 }),
        /written by an older version of @sirllm\/testkit.*re-create the session/,
      ],
      [
        'old sequence given as a session',
        () => MemorySession.restore({ backend, snapshot: oldSequence }),
        /written by an older version of @sirllm\/testkit or @sirllm\/llamacpp.*re-create the session/,
      ],
    ];
    for (const [label, attempt, message] of attempts) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
      expect((error as Error).message, label).toMatch(message);
    }
  });

  it('refuses a snapshot of the other kind: a sequence as a session, a session as a sequence', async () => {
    const live = await conversation();
    const sessionBytes = await live.snapshot();
    const sequenceBytes = decodeSessionSnapshot(sessionBytes).sequence;
    const asSession = await MemorySession.restore({ backend: live.backend, snapshot: sequenceBytes }).catch(
      (caught: unknown) => caught,
    );
    expect(InvalidOptionError.isInstance(asSession)).toBe(true);
    expect((asSession as Error).message).toMatch(
      /but it is a sequence snapshot of @sirllm\/testkit's reference backend: restore it with KVBackend\.restoreSequence/,
    );
    const asSequence = await live.backend
      .restoreSequence?.(sessionBytes, { capacity: 64 })
      .catch((caught: unknown) => caught);
    expect(InvalidOptionError.isInstance(asSequence)).toBe(true);
    expect((asSequence as Error).message).toMatch(/but it is a session snapshot.*MemorySession\.restore/);
  });
});
