import { createRandom, MemorySession, sirllm } from '@sirllm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';
import { spyOn } from './backend-spy.js';
import { testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

const capacity = 512;
const streamLength = 50_000;

let backend: LlamaCppBackend;
beforeAll(async () => {
  const { path } = writeTinyModel({ seed: 31, layers: 2 });
  backend = await createLlamaCppBackend({
    modelPath: path,
    llama: await testLlama(),
    threads: testThreads,
    contextSize: capacity,
  });
});
afterAll(() => backend.dispose());

it(`streams ${streamLength} tokens at capacity ${capacity}: bounded, never re-evaluated from position 0, flat memory`, async () => {
  const spy = spyOn(backend);
  const session = await MemorySession.create({
    backend: spy.backend,
    capacity,
    policy: sirllm({ sinks: 4, decay: 0.9 }),
  });
  const sequence = spy.sequences[0];
  if (!sequence) throw new Error('the session created no sequence');
  const random = createRandom(7);
  const vocabulary = backend.info.vocabularySize - 5; // no special tokens in the user text
  let streamed = 0;
  let turns = 0;
  let warmResidentSetSize = 0;
  let largestResident = 0;
  while (streamed < streamLength) {
    const size = Math.min(200 + random.nextInteger(400), streamLength - streamed);
    const input = Array.from({ length: size }, () => random.nextInteger(vocabulary));
    await session.beginTurn({ incoming: size });
    await session.ingest(input);
    streamed += size;
    if (turns % 4 === 0 && streamed < streamLength) {
      const reply = await session.generate({ maxTokens: 16, sampling: { temperature: 0 } });
      streamed += reply.tokens.length;
    }
    largestResident = Math.max(largestResident, session.statistics.resident, sequence.length);
    turns++;
    if (turns === 20) warmResidentSetSize = process.memoryUsage().rss;
  }
  const finalResidentSetSize = process.memoryUsage().rss;
  const statistics = sequence.statistics;
  const meter = sequence.llamaSequence.tokenMeter.getState();
  console.info(
    `[streaming] ${streamed} tokens in ${turns} turns; resident ≤ ${largestResident}; ` +
      `evaluated ${statistics.evaluatedTokens}, shifted ${statistics.shiftedTokens}, ` +
      `erasures ${statistics.erasures}, rebuilds ${statistics.rebuilds}; ` +
      `llama.cpp token meter: ${meter.usedInputTokens} input + ${meter.usedOutputTokens} output; ` +
      `RSS after warm-up ${(warmResidentSetSize / 2 ** 20).toFixed(1)} MiB, at the end ${(finalResidentSetSize / 2 ** 20).toFixed(1)} MiB`,
  );

  expect(streamed).toBeGreaterThanOrEqual(streamLength);
  expect(session.statistics.transcriptLength).toBe(streamed);
  expect(largestResident).toBeLessThanOrEqual(capacity);
  expect(session.statistics.evicted).toBeGreaterThan(streamLength - capacity - 1000);
  // Never re-evaluated: every token llama.cpp consumed (node-llama-cpp meters decoded tokens with
  // outputs as "output", other decoded and shifted tokens as "input") is either one we fed once (plus
  // at most one held-back token re-fed per call) or one it shifted in place. A fallback that
  // re-evaluates the cache from position 0 would add the whole kept cache to the meter.
  expect(statistics.rebuilds).toBe(0);
  expect(meter.usedInputTokens + meter.usedOutputTokens).toBe(
    statistics.evaluatedTokens + statistics.shiftedTokens,
  );
  expect(statistics.evaluatedTokens).toBeLessThan(streamed + 2 * turns + 64);
  // Memory is flat after warm-up: the cache is bounded; only the transcript (a few bytes a token) grows.
  expect(finalResidentSetSize - warmResidentSetSize).toBeLessThan(48 * 2 ** 20);
  await session.dispose();
}, 600_000);
