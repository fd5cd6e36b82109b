import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRandom, InvalidOptionError, MemorySession, sirllm } from '@sirllm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend, writeFileAtomically } from '../../src/index.js';
import { temporaryFolder, testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

const capacity = 96;
const model = writeTinyModel({ seed: 41, layers: 2 });
const foreignModel = writeTinyModel({ seed: 42, layers: 2 });
let backend: LlamaCppBackend;
let foreign: LlamaCppBackend;

const options = { threads: testThreads, contextSize: 256, kvCacheType: 'f32' } as const;
beforeAll(async () => {
  const llama = await testLlama();
  backend = await createLlamaCppBackend({ modelPath: model.path, llama, ...options });
  foreign = await createLlamaCppBackend({ modelPath: foreignModel.path, llama, ...options });
});
afterAll(async () => {
  await backend.dispose();
  await foreign.dispose();
});

/** A session that has evicted several times (so the snapshot holds a compacted, shifted cache). */
async function evictedSession(on: LlamaCppBackend, seed: number): Promise<MemorySession> {
  const session = await MemorySession.create({
    backend: on,
    capacity,
    policy: sirllm({ sinks: 4, decay: 0.8 }),
  });
  const random = createRandom(seed);
  for (let turn = 0; turn < 5; turn++) {
    const input = Array.from({ length: 40 + random.nextInteger(30) }, () => random.nextInteger(400));
    await session.beginTurn({ incoming: input.length });
    await session.ingest(input);
  }
  expect(session.statistics.evicted).toBeGreaterThan(0);
  return session;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++)
    expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(tolerance);
}

describe('snapshots', () => {
  const continuation = Array.from({ length: 12 }, (_, i) => (i * 37 + 11) % 400);

  it('a restored session continues with the same surprisal as the original', async () => {
    const original = await evictedSession(backend, 1);
    const bytes = await original.snapshot();
    const restored = await MemorySession.restore({ backend, snapshot: bytes });
    expect(restored.statistics).toEqual(original.statistics);
    const expected = await original.ingest(continuation);
    const actual = await restored.ingest(continuation);
    expectClose(actual.surprisal, expected.surprisal, 1e-5);
    await original.dispose();
    await restored.dispose();
  });

  const built = existsSync(fileURLToPath(new URL('../../dist/index.js', import.meta.url)));
  it.skipIf(!built)(
    'a snapshot restored in a new process continues with the same surprisal (needs pnpm run build)',
    async () => {
      const original = await evictedSession(backend, 2);
      const path = join(temporaryFolder(), 'session.snapshot');
      await writeFileAtomically(path, await original.snapshot());
      const resident = original.statistics.resident;
      const expected = await original.ingest(continuation);
      const script = fileURLToPath(new URL('./child/restore-session.mjs', import.meta.url));
      const runtime = process.versions.bun
        ? [script]
        : 'Deno' in globalThis
          ? ['run', '-A', script]
          : [script];
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [...runtime, model.path, path, JSON.stringify(continuation)],
        {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
        },
      );
      const child = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        resident: number;
        surprisal: number[];
      };
      expect(child.resident).toBe(resident);
      expectClose(child.surprisal, expected.surprisal, 1e-5);
      await original.dispose();
    },
    120_000,
  );

  it('truncated, altered and foreign snapshots are refused with InvalidOptionError; the live session is untouched', async () => {
    const live = await evictedSession(backend, 3);
    const twin = await evictedSession(backend, 3);
    const bytes = await live.snapshot();
    const sequenceBytes = await (await backend.createSequence({ capacity })).snapshot();
    const foreignSession = await evictedSession(foreign, 3);
    const foreignBytes = await foreignSession.snapshot();
    const foreignSequence = await (await foreign.createSequence({ capacity })).snapshot();
    const altered = (source: Uint8Array, at: number) => {
      const copy = source.slice();
      copy[at] = (copy[at] as number) ^ 0x01;
      return copy;
    };
    const refusedSessions = [
      bytes.slice(0, bytes.length - 1),
      bytes.slice(0, 100),
      altered(bytes, Math.floor(bytes.length / 2)),
      altered(bytes, bytes.length - 40),
      foreignBytes,
    ];
    for (const snapshot of refusedSessions) {
      await expect(MemorySession.restore({ backend, snapshot })).rejects.toSatisfy(
        InvalidOptionError.isInstance,
      );
    }
    const refusedSequences = [
      sequenceBytes.slice(0, sequenceBytes.length - 5),
      altered(sequenceBytes, 12),
      altered(sequenceBytes, sequenceBytes.length - 1),
      foreignSequence,
      new Uint8Array(3),
    ];
    for (const snapshot of refusedSequences) {
      const error = await backend.restoreSequence(snapshot, { capacity }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/restoreSequence\(snapshot\)/);
    }
    const foreignError = await backend
      .restoreSequence(foreignSequence, { capacity })
      .catch((reason: Error) => reason);
    expect((foreignError as Error).message).toMatch(/belongs to model .* this backend runs model/);
    // The live session continues exactly like its twin that never saw the refusals.
    const expected = await twin.ingest(continuation);
    const actual = await live.ingest(continuation);
    expectClose(actual.surprisal, expected.surprisal, 1e-6);
    for (const session of [live, twin, foreignSession]) await session.dispose();
  });

  it('a backend with another sequencesPerContext refuses the snapshot with an actionable message', async () => {
    const other = await createLlamaCppBackend({
      modelPath: model.path,
      llama: await testLlama(),
      ...options,
      sequencesPerContext: 2,
    });
    try {
      const sequence = await backend.createSequence({ capacity });
      await sequence.append([1, 2, 3, 4, 5]);
      const error = await other
        .restoreSequence(await sequence.snapshot(), { capacity })
        .catch((reason: Error) => reason);
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/sequencesPerContext 4.*same value/);
      await sequence.dispose();
    } finally {
      await other.dispose();
    }
  });
});

describe('writeFileAtomically', () => {
  it('replaces the file in one step and leaves no temporary files', async () => {
    const folder = join(temporaryFolder(), 'atomic');
    await import('node:fs/promises').then(({ mkdir }) => mkdir(folder, { recursive: true }));
    const path = join(folder, 'state.bin');
    await writeFile(path, 'old');
    await writeFileAtomically(path, new TextEncoder().encode('new content'));
    expect(await readFile(path, 'utf8')).toBe('new content');
    expect(await readdir(folder)).toEqual(['state.bin']);
  });

  it('rejects and creates nothing when the folder does not exist', async () => {
    const path = join(temporaryFolder(), 'no-such-folder', 'state.bin');
    await expect(writeFileAtomically(path, new Uint8Array(4))).rejects.toThrow();
    expect(existsSync(path)).toBe(false);
  });
});
