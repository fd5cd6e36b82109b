import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSnapshotEnvelope, fnv1a32, InvalidOptionError } from '@sirllm/core';
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
