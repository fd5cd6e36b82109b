import type { KVSequence, SamplingOptions } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { type OpenedBackend, userPathBackends } from './user-paths/user-path-backends.js';

/**
 * One sampler for every backend (docs/decisions/0016): the reference backend, llama.cpp (the testkit
 * weights as GGUF) and transformers.js (the same weights as ONNX) sample the same tokens from the same
 * prompt with the same seed — the reference backend's tokens are the expectation.
 */

const prompt = [1, 72, 101, 108, 108, 111, 44, 32, 119, 111, 114, 108, 100];
const count = 16;
const settings: SamplingOptions[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ temperature: 0.8, seed })),
  { temperature: 0.8, topK: 40, topP: 0.95, seed: 11 },
  { temperature: 1.3, minP: 0.05, seed: 12 },
];

/** Feeds the prompt, then samples `count` tokens, feeding each back (one `append` per token). */
async function sampled(sequence: KVSequence, sample: SamplingOptions): Promise<number[]> {
  let next = (await sequence.append(prompt, { sample })).next;
  const tokens: number[] = [];
  while (next && tokens.length < count) {
    tokens.push(next.token);
    if (tokens.length < count) next = (await sequence.append([next.token], { sample })).next;
  }
  return tokens;
}

async function sampleAll(opened: OpenedBackend): Promise<number[][]> {
  const runs: number[][] = [];
  for (const sample of settings) {
    const sequence = await opened.backend.createSequence({ capacity: 64 });
    try {
      runs.push(await sampled(sequence, sample));
    } finally {
      await sequence.dispose();
    }
  }
  return runs;
}

describe('seeded sampling is the same on every backend', () => {
  it('reference, llama.cpp and transformers.js sample identical tokens over the same weights', async () => {
    const factories = userPathBackends({ model: 'testkit' });
    expect(factories.map((factory) => factory.library)).toEqual(['reference', 'llamacpp', 'transformers']);
    const results = new Map<string, number[][]>();
    for (const factory of factories) {
      const opened = await factory.open();
      try {
        results.set(factory.name, await sampleAll(opened));
      } finally {
        await opened.dispose();
      }
    }
    const [reference, ...others] = [...results.entries()];
    if (!reference) throw new Error('no backend ran');
    const [, expected] = reference;
    // Sampling really varies with the seed (so equal runs are not all the greedy reply).
    expect(new Set(expected.map((tokens) => tokens.join(','))).size).toBeGreaterThan(settings.length / 2);
    for (const [name, runs] of others) {
      runs.forEach((tokens, i) => {
        expect(tokens, `${name}, ${JSON.stringify(settings[i])}`).toEqual(expected[i]);
      });
    }
  });
});
