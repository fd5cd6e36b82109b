import { DisposedError } from '@sirllm/core';
import { assertClose, expectedSurprisal } from '@sirllm/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';
import { testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

// Small batches: an append of 140 tokens is many evaluations, so a dispose lands between (or inside) them.
async function openSmallBatchBackend(path: string, evictionMode?: 'rebuild'): Promise<LlamaCppBackend> {
  return createLlamaCppBackend({
    modelPath: path,
    llama: await testLlama(),
    threads: testThreads,
    contextSize: 256,
    batchSize: 4,
    kvCacheType: 'f32',
    ...(evictionMode ? { evictionMode } : {}),
  });
}

/** Awaits `pending`: it may complete, or reject with DisposedError; any other error fails the test. */
async function completedOrDisposed(pending: Promise<unknown>): Promise<'completed' | 'disposed'> {
  try {
    await pending;
    return 'completed';
  } catch (error) {
    if (!DisposedError.isInstance(error)) throw error;
    return 'disposed';
  }
}

describe('llama.cpp: dispose during an operation', () => {
  const { model, path } = writeTinyModel({ seed: 31 });
  const tokens = Array.from({ length: 150 }, (_, i) => (i * 7 + 3) % model.config.vocabularySize);
  let backend: LlamaCppBackend;

  beforeAll(async () => {
    backend = await openSmallBatchBackend(path);
  });

  afterAll(async () => {
    await backend.dispose();
  });

  it('a sequence disposed during an append rejects it with DisposedError and holds nothing', async () => {
    const sequence = await backend.createSequence({ capacity: 160 });
    await sequence.append(tokens.slice(0, 5));
    const pending = sequence.append(tokens.slice(5, 145));
    setTimeout(() => void sequence.dispose(), 0);
    expect(await completedOrDisposed(pending)).toBe('disposed');
    expect(sequence.length).toBe(0);
    await expect(sequence.append([1])).rejects.toSatisfy(DisposedError.isInstance);
  });

  it('a sequence disposed at once after an append starts rejects it with DisposedError', async () => {
    const sequence = await backend.createSequence({ capacity: 160 });
    await sequence.append(tokens.slice(0, 5));
    const pending = sequence.append(tokens.slice(5, 145));
    await sequence.dispose();
    expect(await completedOrDisposed(pending)).toBe('disposed');
    expect(sequence.length).toBe(0);
  });

  it('other sequences of the backend still evaluate exactly after one was disposed under its append', async () => {
    // dispose waits for the running batch before freeing the llama.cpp sequence: freeing it under a
    // pending evaluation could leave the shared context failing ("Eval has failed") for everyone.
    for (let round = 0; round < 3; round++) {
      const doomed = await backend.createSequence({ capacity: 160 });
      await doomed.append(tokens.slice(0, 5));
      const pending = doomed.append(tokens.slice(5, 145));
      const disposing = doomed.dispose();
      expect(await completedOrDisposed(pending)).toBe('disposed');
      await disposing;
      const survivor = await backend.createSequence({ capacity: 64 });
      const { surprisal } = await survivor.append(tokens.slice(0, 24));
      assertClose(surprisal, expectedSurprisal(model, [], tokens.slice(0, 24)), 1e-4, `round ${round}`);
      await survivor.dispose();
    }
  });

  it('a backend disposed during an append rejects it with DisposedError and still releases', async () => {
    const other = await openSmallBatchBackend(path);
    const sequence = await other.createSequence({ capacity: 160 });
    await sequence.append(tokens.slice(0, 5));
    const pending = sequence.append(tokens.slice(5, 145));
    const disposed = new Promise<void>((resolve, reject) => {
      setTimeout(() => other.dispose().then(resolve, reject), 0);
    });
    expect(await completedOrDisposed(pending)).toBe('disposed');
    await disposed;
    expect(sequence.length).toBe(0);
    await expect(other.createSequence({ capacity: 8 })).rejects.toSatisfy(DisposedError.isInstance);
  });

  it('a sequence disposed during a rebuilding retain rejects it with DisposedError', async () => {
    const rebuilding = await openSmallBatchBackend(path, 'rebuild');
    try {
      const sequence = await rebuilding.createSequence({ capacity: 160 });
      await sequence.append(tokens.slice(0, 145));
      const keep = Uint32Array.from({ length: 140 }, (_, i) => i + 5);
      const pending = sequence.retain(keep);
      setTimeout(() => void sequence.dispose(), 0);
      expect(await completedOrDisposed(pending)).toBe('disposed');
      expect(sequence.length).toBe(0);
    } finally {
      await rebuilding.dispose();
    }
  });
});
