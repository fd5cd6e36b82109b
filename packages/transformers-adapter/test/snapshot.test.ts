import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
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
      ['altered version', Uint8Array.from(bytes, (byte, i) => (i === 13 ? byte ^ 1 : byte))],
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
