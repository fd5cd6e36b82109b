import { createRandom, PositionShiftUnsupportedError } from '@sirllm/core';
import { createTinyLlama, type ModelFamily, tinyLlamaToGguf } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import type { Llama } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { createLlamaCppBackend } from '../../src/index.js';
import {
  largestRelativeDifference,
  llamaCppSurprisal,
  type MatrixType,
  referenceSurprisal,
  writeFamilyFile,
} from './family-fixtures.js';
import { openTestBackend, testThreads, writeTemporaryFile } from './gguf-fixtures.js';

/** Families llama.cpp can shift: every one but Gemma 3 (sliding-window attention). */
const shiftableFamilies: ModelFamily[] = ['llama', 'llama3', 'smollm2', 'mistral', 'qwen2', 'qwen3', 'phi3'];

/**
 * Largest surprisal error relative to max(1, |expected|), as the conformance suite measures it, over
 * 31 scored tokens (measured with these seeds). F32 files: llama.cpp computes in float32, ≤ 4e-6
 * (Llama 3, whose 128,256-way softmax sums in float32: 1.6e-5; Gemma 3, whose GELU goes through ggml's
 * f16 lookup table: 3.4e-5, 8e-4 absolute on surprisals up to 35). F16 files (reference on the
 * f16-rounded weights): ggml's CPU kernels also round the activations to f16 before f16 matrix
 * products, 1.4e-4 (Gemma 3) to 2.2e-3 (Mistral), up to 1.6e-2 absolute.
 */
const tolerances: Record<MatrixType, number> = { f32: 1e-4, f16: 5e-3 };

function randomTokens(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.nextInteger(400));
}

/** llama.cpp's surprisal of `tokens[1..]` through the SirLLM backend (one sequence, F32 cache). */
async function backendSurprisal(path: string, tokens: readonly number[]): Promise<ArrayLike<number>> {
  const backend = await openTestBackend(path, 64);
  try {
    const sequence = await backend.createSequence({ capacity: 64 });
    return (await sequence.append(tokens)).surprisal.slice(1);
  } finally {
    await backend.dispose();
  }
}

async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('every family as GGUF, run by llama.cpp, scores like the reference', () => {
  // 32 tokens: past Gemma 3's window of 8, so its sliding layer really slides.
  const tokens = randomTokens(72, 32);
  for (const family of shiftableFamilies) {
    for (const matrixType of ['f32', 'f16'] as const) {
      it(`${family}, ${matrixType}: through the backend, which reports exact shifts`, async () => {
        const file = writeFamilyFile(family, matrixType, { seed: 71 });
        const { config } = file.model;
        const backend = await openTestBackend(file.path, 64);
        try {
          // Llama 3's scaling is in rope_freqs, which the shift reuses; Phi-3's sliding_window is
          // switched off by llama.cpp: both shift exactly, like the plain families.
          expect(backend.info.positionShift).toBe('exact');
          expect(backend.info.vocabularySize).toBe(config.vocabularySize);
          expect(backend.info.rope).toEqual({
            theta: config.rope.theta,
            headDimension: config.headDimension,
          });
          const sequence = await backend.createSequence({ capacity: 64 });
          const actual = (await sequence.append(tokens)).surprisal.slice(1);
          const expected = referenceSurprisal(file.reference, tokens);
          expect(largestRelativeDifference(actual, expected)).toBeLessThan(tolerances[matrixType]);
        } finally {
          await backend.dispose();
        }
      });
    }
  }

  for (const matrixType of ['f32', 'f16'] as const) {
    it(`gemma3, ${matrixType} (node-llama-cpp directly: the backend refuses sliding windows)`, async () => {
      const file = writeFamilyFile('gemma3', matrixType, { seed: 71 });
      const actual = await llamaCppSurprisal(file.path, file.model.config.vocabularySize, tokens);
      const expected = referenceSurprisal(file.reference, tokens);
      expect(largestRelativeDifference(actual, expected)).toBeLessThan(tolerances[matrixType]);
    });
  }

  it("gemma3: llama.cpp uses the file's window and layer pattern (layer 0 local, layer 1 global)", async () => {
    const file = writeFamilyFile('gemma3', 'f32', { seed: 73 });
    const actual = await llamaCppSurprisal(file.path, file.model.config.vocabularySize, tokens);
    const window = { window: 8, localTheta: 10000 };
    const difference = (pattern: number) =>
      largestRelativeDifference(
        actual,
        referenceSurprisal(
          createTinyLlama({ family: 'gemma3', seed: 73, slidingWindow: { ...window, pattern } }),
          tokens,
        ),
      );
    expect(difference(2)).toBeLessThan(tolerances.f32);
    // The same weights with no sliding layer, or with both layers sliding (llama.cpp's default pattern
    // of 6 on two layers), are far off: the test can tell.
    expect(difference(1)).toBeGreaterThan(1e-2);
    expect(difference(3)).toBeGreaterThan(1e-2);
  });

  it('llama3: rope_freqs makes llama.cpp rotate with the Llama 3 frequencies, and only it does', async () => {
    // A short original context (32) so the scaling changes most pairs within 32 positions.
    const options = {
      seed: 74,
      layers: 1,
      vocabularySize: 512,
      rope: {
        theta: 500000,
        scaling: {
          type: 'llama3',
          factor: 8,
          lowFrequencyFactor: 1,
          highFrequencyFactor: 4,
          originalMaxPositionEmbeddings: 32,
        },
      },
    } as const;
    const model = createTinyLlama({ ...options, family: 'llama3' });
    const scaled = writeTemporaryFile('llama3-short-original.gguf', tinyLlamaToGguf(model));
    const expected = referenceSurprisal(model, tokens);
    expect(largestRelativeDifference(await backendSurprisal(scaled, tokens), expected)).toBeLessThan(
      tolerances.f32,
    );
    // The same weights without the scaling (no rope_freqs) are far from the Llama 3 reference.
    const unscaled = createTinyLlama({ ...options, family: 'llama3', rope: { theta: 500000 } });
    const plain = writeTemporaryFile('llama3-unscaled.gguf', tinyLlamaToGguf(unscaled));
    expect(largestRelativeDifference(await backendSurprisal(plain, tokens), expected)).toBeGreaterThan(1e-2);
  });
});

describe('what the backend says about each family', () => {
  it('gemma3 is refused before the model loads, saying why and what to use instead', async () => {
    const file = writeFamilyFile('gemma3', 'f32');
    let loads = 0;
    const watching = {
      loadModel: async () => {
        loads++;
        throw new Error('the model must not load');
      },
    } as unknown as Llama;
    const error = await rejection(() =>
      createLlamaCppBackend({ modelPath: file.path, llama: watching, threads: testThreads }),
    );
    expect(PositionShiftUnsupportedError.isInstance(error)).toBe(true);
    expect((error as PositionShiftUnsupportedError).scheme).toBe('sliding-window');
    expect(error.message).toMatch(/reuses the cells of keys that left the window/);
    expect(error.message).toMatch(/transformers\.js backend \(@sirllm\/transformers\)/);
    expect(loads).toBe(0);
  });
});

// One layer, so the suite's compaction check (evict, then equal a fresh forward at compacted positions)
// runs. Llama 3 with its real θ and scaling but a small vocabulary: the suite's many full-row checks
// (sampling) over 128,256 tokens would take a minute; the real size is checked above.
for (const family of shiftableFamilies.filter((name) => name !== 'llama')) {
  runBackendConformance(
    `llama.cpp, ${family} family`,
    async () => {
      const file = writeFamilyFile(family, 'f32', {
        seed: 75,
        layers: 1,
        ...(family === 'llama3' ? { vocabularySize: 512 } : {}),
      });
      const backend = await openTestBackend(file.path, 512);
      return { backend, model: file.model, tolerance: tolerances.f32 };
    },
    { capacity: 64 },
  );
}
