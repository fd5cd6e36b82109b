import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapacityExceededError, encodeSnapshotEnvelope, fnv1a32, InvalidOptionError } from '@sirllm/core';
import { createTinyLlama } from '@sirllm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTransformersBackend,
  readSnapshotFile,
  type TransformersBackend,
  writeSnapshotFile,
} from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

describe('snapshot header validation', () => {
  const model = createTinyLlama();
  const folder = writeTestModel(model);
  let backend: TransformersBackend;
  beforeAll(async () => {
    backend = await createTransformersBackend({ model: folder.path, threads: 1 });
  });
  afterAll(async () => {
    await backend.dispose();
    folder.remove();
  });

  it('refuses altered headers, foreign bytes and a bad argument, all as InvalidOptionError', async () => {
    const sequence = await backend.createSequence({ capacity: 32 });
    await sequence.append([5, 6, 7, 8, 9]);
    await sequence.retain(Uint32Array.of(0, 2, 4));
    const bytes = await sequence.snapshot();
    const cases: [string, unknown][] = [
      ['altered magic', Uint8Array.from(bytes, (byte, i) => (i === 0 ? byte ^ 1 : byte))],
      ['altered version', Uint8Array.from(bytes, (byte, i) => (i === 8 ? byte ^ 1 : byte))],
      ['altered checksum', Uint8Array.from(bytes, (byte, i) => (i === bytes.length - 1 ? byte ^ 1 : byte))],
      ['one byte missing', bytes.slice(0, -1)],
      ['foreign bytes', new TextEncoder().encode('{"not":"a snapshot"}')],
      ['not bytes', 'hello'],
    ];
    for (const [label, bad] of cases) {
      let error: unknown;
      try {
        await backend.restoreSequence(bad as Uint8Array, { capacity: 32 });
      } catch (caught) {
        error = caught;
      }
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
    }
    // A snapshot taken right after retain (last kept token not yet re-fed) continues like the original.
    const restored = await backend.restoreSequence(bytes, { capacity: 32 });
    expect(Array.from(restored.residentTokens())).toEqual([5, 7, 9]);
    const original = await sequence.append([10, 11]);
    const continued = await restored.append([10, 11]);
    expect(Array.from(continued.surprisal)).toEqual(Array.from(original.surprisal));
  });

  it('refuses the layout before the shared envelope, and snapshots of another kind, saying which', async () => {
    // The old layout, built by hand: magic SIRLLM-TJS-KV, u32 version 1, u32 fingerprint length, cache
    // type float32, layers, kv heads, head dim, vocabulary, length 0, rows 0, u8 flags 0, the
    // fingerprint, then the FNV-1a checksum of everything before it.
    const { layers, keyValueHeads, headDimension, vocabularySize } = model.config;
    const fingerprint = new TextEncoder().encode(backend.info.fingerprint);
    const magic = new TextEncoder().encode('SIRLLM-TJS-KV');
    const fields = [1, fingerprint.length, 1, layers, keyValueHeads, headDimension, vocabularySize, 0, 0];
    const old = new Uint8Array(magic.length + 4 * fields.length + 1 + fingerprint.length + 4);
    const view = new DataView(old.buffer);
    old.set(magic);
    fields.forEach((value, index) => {
      view.setUint32(magic.length + 4 * index, value, true);
    });
    old.set(fingerprint, magic.length + 4 * fields.length + 1);
    view.setUint32(old.length - 4, fnv1a32(old.subarray(0, old.length - 4)), true);
    const refusals: [string, Uint8Array, RegExp][] = [
      ['old layout', old, /written by an older version of @sirllm\/transformers.*re-create the session/],
      [
        'a session snapshot',
        encodeSnapshotEnvelope(
          { kind: 'session', fingerprint: backend.info.fingerprint, payloadVersion: 1 },
          new Uint8Array(8),
        ),
        /but it is a session snapshot.*MemorySession\.restore/,
      ],
      [
        'a llama.cpp sequence snapshot',
        encodeSnapshotEnvelope(
          { kind: 'llamacpp-sequence', fingerprint: backend.info.fingerprint, payloadVersion: 1 },
          new Uint8Array(8),
        ),
        /but it is a sequence snapshot from @sirllm\/llamacpp/,
      ],
    ];
    for (const [label, bytes, message] of refusals) {
      const error = await backend.restoreSequence(bytes, { capacity: 32 }).catch((caught: unknown) => caught);
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
      expect((error as Error).message, label).toMatch(message);
    }
  });

  /**
   * A payload of this package's layout, built by hand: u32 cache type (1: float32), layers, kv heads,
   * head dim, vocabulary, length, rows; u8 flags; i32 tokens; i32 origins; per layer float32 keys and
   * values (kv heads × rows × head dim each, zero here; `cache` overrides their count); float32
   * pending logits when flags has bit 0.
   */
  function forgedPayload(
    fields: readonly number[],
    { flags = 0, tokens = [] as number[], origins = [] as number[], cache = -1 } = {},
  ): Uint8Array {
    const [, layers = 0, heads = 0, dimension = 0, vocabulary = 0, , rows = 0] = fields;
    if (cache < 0) cache = layers * 2 * heads * rows * dimension;
    const pending = flags & 1 ? vocabulary : 0;
    const payload = new Uint8Array(29 + 4 * (tokens.length + origins.length + cache + pending));
    const view = new DataView(payload.buffer);
    fields.forEach((value, index) => {
      view.setUint32(4 * index, value, true);
    });
    view.setUint8(28, flags);
    [...tokens, ...origins].forEach((value, index) => {
      view.setInt32(29 + 4 * index, value, true);
    });
    return payload;
  }
  const forged = (payload: Uint8Array, fingerprint = backend.info.fingerprint) =>
    encodeSnapshotEnvelope({ kind: 'transformers-sequence', fingerprint, payloadVersion: 1 }, payload);
  const refusalOf = (bytes: Uint8Array) =>
    backend.restoreSequence(bytes, { capacity: 32 }).catch((caught: unknown) => caught);

  it('refuses a forged header against the loaded model before allocating anything', async () => {
    // Layers 0xFFFFFFFF with kv heads 0, length 0 and rows 0: the size the header implies is its own 29
    // bytes, which is what follows; reading it once looped 2³² − 1 times and ended the process out of
    // memory.
    const { vocabularySize } = model.config;
    const started = performance.now();
    const error = await refusalOf(forged(forgedPayload([1, 0xffffffff, 0, 0, vocabularySize, 0, 0])));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as InvalidOptionError).option).toBe('snapshot');
    expect((error as Error).message).toMatch(/4294967295 layers × 0 heads × 0.*where this model has/);
    // The same with a head dimension of 0, and with a length beyond the capacity.
    const { layers, keyValueHeads } = model.config;
    const flat = await refusalOf(forged(forgedPayload([1, layers, keyValueHeads, 0, vocabularySize, 0, 0])));
    expect(InvalidOptionError.isInstance(flat)).toBe(true);
    const { headDimension } = model.config;
    const long = [1, layers, keyValueHeads, headDimension, vocabularySize, 0xffffffff, 0xffffffff];
    const tooLong = await refusalOf(forged(forgedPayload(long, { cache: 0 })));
    expect(CapacityExceededError.isInstance(tooLong)).toBe(true);
  });

  it('refuses a cache that holds the last token without the logits after it, and bad origins', async () => {
    const { layers, keyValueHeads, headDimension, vocabularySize } = model.config;
    const shape = [1, layers, keyValueHeads, headDimension, vocabularySize];
    // Two tokens, both in the cache, no pending logits: the encoder never writes it, and the next
    // append would score its first token as +∞.
    const noPending = forgedPayload([...shape, 2, 2], { tokens: [5, 6], origins: [0, 1] });
    const refusals: [string, Uint8Array, RegExp][] = [
      ['rows = length > 0 without logits', noPending, /token and cache row counts are inconsistent/],
      [
        'logits for an empty sequence',
        forgedPayload([...shape, 0, 0], { flags: 1 }),
        /token and cache row counts are inconsistent/,
      ],
      [
        'a negative origin',
        forgedPayload([...shape, 2, 1], { tokens: [5, 6], origins: [-3] }),
        /row 0 has origin -3/,
      ],
      [
        'an origin before its row',
        forgedPayload([...shape, 3, 2], { tokens: [5, 6, 7], origins: [0, 0] }),
        /row 1 has origin 0/,
      ],
      [
        'an origin past any capacity',
        forgedPayload([...shape, 2, 1], { tokens: [5, 6], origins: [0x7fffffff] }),
        /row 0 has origin 2147483647/,
      ],
    ];
    for (const [label, payload, message] of refusals) {
      const error = await refusalOf(forged(payload));
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
      expect((error as Error).message, label).toMatch(message);
    }
    // The same cache with its logits restores, and scores the next token by them.
    const withPending = forgedPayload([...shape, 2, 2], { flags: 1, tokens: [5, 6], origins: [0, 1] });
    const restored = await backend.restoreSequence(forged(withPending), { capacity: 32 });
    const { surprisal } = await restored.append([7]);
    expect(Number.isFinite(surprisal[0])).toBe(true);
  });

  it('refuses a snapshot of another model with the shared wording, before reading its payload', async () => {
    const error = await refusalOf(forged(new Uint8Array(3), 'transformers:another-model'));
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /belongs to model "transformers:another-model", but this backend runs model ".*" \(the model fingerprints differ\)/,
    );
  });

  it('writes snapshot files atomically and reads them back', async () => {
    const sequence = await backend.createSequence({ capacity: 32 });
    await sequence.append([3, 4, 5]);
    const directory = mkdtempSync(join(tmpdir(), 'sirllm-snapshot-'));
    try {
      const path = join(directory, 'conversation.snapshot');
      await writeSnapshotFile(path, await sequence.snapshot());
      await writeSnapshotFile(path, await sequence.snapshot());
      expect(readdirSync(directory)).toEqual(['conversation.snapshot']);
      const restored = await backend.restoreSequence(await readSnapshotFile(path), { capacity: 32 });
      expect(Array.from(restored.residentTokens())).toEqual([3, 4, 5]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
