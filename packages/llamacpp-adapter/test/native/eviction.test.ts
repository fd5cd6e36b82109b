import { createRandom } from '@sirllm/core';
import { referenceForward } from '@sirllm/testkit';
import { assertClose, expectedSurprisal } from '@sirllm/testkit/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';
import { openTestBackend, testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

const tolerance = 1e-4;
const backends: LlamaCppBackend[] = [];
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

async function load(...args: Parameters<typeof writeTinyModel>) {
  const { model, path } = writeTinyModel(...args);
  return { model, path };
}

function randomTokens(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.nextInteger(400));
}

describe('several sequences share one model', () => {
  it('interleaved sequences across several contexts stay independent and exact', async () => {
    const { model, path } = await load({ seed: 51 });
    const backend = await createLlamaCppBackend({
      modelPath: path,
      llama: await testLlama(),
      threads: testThreads,
      contextSize: 128,
      sequencesPerContext: 2,
      kvCacheType: 'f32',
    });
    backends.push(backend);
    const streams = [0, 1, 2, 3, 4].map((index) => randomTokens(100 + index, 60));
    const sequences = await Promise.all(streams.map(() => backend.createSequence({ capacity: 64 })));
    const results: number[][] = streams.map(() => []);
    for (let from = 0; from < 60; from += 15) {
      for (const [index, sequence] of sequences.entries()) {
        const { surprisal } = await sequence.append((streams[index] as number[]).slice(from, from + 15));
        (results[index] as number[]).push(...surprisal);
      }
    }
    for (const [index, stream] of streams.entries()) {
      assertClose(
        results[index] as number[],
        expectedSurprisal(model, [], stream),
        tolerance,
        `sequence ${index}`,
      );
    }
    // Disposed sequences free their slot for new ones.
    await sequences[0]?.dispose();
    const reused = await backend.createSequence({ capacity: 64 });
    const { surprisal } = await reused.append(streams[1] as number[]);
    assertClose(surprisal, expectedSurprisal(model, [], streams[1] as number[]), tolerance, 'reused slot');
  });
});

describe('eviction paths', () => {
  it('a keep set without index 0 is rebuilt by re-evaluation (never handed to llama.cpp as a range at 0)', async () => {
    const { model, path } = await load({ seed: 52 });
    const backend = await openTestBackend(path, 128);
    backends.push(backend);
    const sequence = await backend.createSequence({ capacity: 64 });
    const tokens = randomTokens(7, 40);
    await sequence.append(tokens);
    const keep = Uint32Array.of(3, 4, 10, 11, 12, 20, 39);
    await sequence.retain(keep);
    expect(sequence.statistics.rebuilds).toBe(1);
    const kept = Array.from(keep, (index) => tokens[index] as number);
    const next = randomTokens(8, 6);
    const { surprisal } = await sequence.append(next);
    assertClose(surprisal, expectedSurprisal(model, kept, next), tolerance, 'after rebuild');
  });

  it('YaRN-scaled models load with a warning; evictionMode "rebuild" makes eviction exact', async () => {
    const options = {
      seed: 53,
      rope: { scaling: { type: 'yarn' as const, factor: 4, originalMaxPositionEmbeddings: 1024 } },
    };
    const { path } = await load(options);
    const warnings: string[] = [];
    const llama = await testLlama();
    const common = {
      modelPath: path,
      llama,
      threads: testThreads,
      contextSize: 256,
      kvCacheType: 'f32' as const,
    };
    const shifting = await createLlamaCppBackend({
      ...common,
      onWarning: (message) => warnings.push(message),
    });
    backends.push(shifting);
    expect(shifting.info.positionShift).toBe('approximate');
    expect(shifting.info.rope?.scaling).toMatchObject({
      type: 'yarn',
      factor: 4,
      originalMaxPositionEmbeddings: 1024,
    });
    expect(warnings.join('\n')).toMatch(/yarn.*evictionMode: "rebuild"/);

    const exactWarnings: string[] = [];
    const rebuilding = await createLlamaCppBackend({
      ...common,
      evictionMode: 'rebuild',
      onWarning: (message) => exactWarnings.push(message),
    });
    backends.push(rebuilding);
    expect(rebuilding.info.positionShift).toBe('exact');
    expect(exactWarnings).toEqual([]);

    // Evict four times, then compare with a fresh llama.cpp evaluation of the kept tokens.
    const random = createRandom(9);
    const evicted = await rebuilding.createSequence({ capacity: 200 });
    let resident = randomTokens(10, 120);
    await evicted.append(resident);
    for (let round = 0; round < 4; round++) {
      const keep = [0];
      for (let index = 1; index < resident.length; index++) if (random.next() < 0.6) keep.push(index);
      await evicted.retain(Uint32Array.from(keep));
      resident = keep.map((index) => resident[index] as number);
      const fed = randomTokens(20 + round, 10);
      await evicted.append(fed);
      resident = [...resident, ...fed];
    }
    const probe = randomTokens(99, 8);
    const fresh = await rebuilding.createSequence({ capacity: 200 });
    await fresh.append(resident);
    const expected = await fresh.append(probe);
    const actual = await evicted.append(probe);
    assertClose(actual.surprisal, expected.surprisal, 1e-5, 'rebuild vs fresh');
    expect(evicted.statistics.rebuilds).toBe(4);
  });
});

describe('argmax and greedy sampling agree with the reference', () => {
  it('reports argmax for a long append in several internal batches', async () => {
    const { model, path } = await load({ seed: 54 });
    const backend = await createLlamaCppBackend({
      modelPath: path,
      llama: await testLlama(),
      threads: testThreads,
      contextSize: 256,
      batchSize: 16,
      kvCacheType: 'f32',
    });
    backends.push(backend);
    const sequence = await backend.createSequence({ capacity: 200 });
    const tokens = randomTokens(11, 100);
    const { surprisal, argmax } = await sequence.append(tokens, { argmax: true });
    assertClose(surprisal, expectedSurprisal(model, [], tokens), tolerance, 'batched surprisal');
    const rows = referenceForward(model, tokens);
    let agreed = 0;
    rows.forEach((row, index) => {
      let best = 0;
      for (let token = 1; token < row.length; token++)
        if ((row[token] as number) > (row[best] as number)) best = token;
      if (argmax?.[index] === best) agreed++;
    });
    expect(agreed).toBeGreaterThanOrEqual(98);
  });
});
