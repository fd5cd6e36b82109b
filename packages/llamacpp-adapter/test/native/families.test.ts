import { createRandom, PositionShiftUnsupportedError } from '@sirllm/core';
import {
  createReferenceBackend,
  createTinyLlama,
  FamilySupportCoverage,
  tinyLlamaToGguf,
} from '@sirllm/testkit';
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
import {
  openTestBackend,
  rejection,
  testThreads,
  writeTemporaryFile,
  writeTinyModel,
} from './gguf-fixtures.js';

// The cases come from the family matrix (`familySupport`): each `works` cell of F32 and F16 files is
// scored against the reference, before and after a compaction (two layers: the kept keys' later layers
// carry what the evicted tokens contributed, as in the reference backend). F32 cells also run the
// conformance suite; F16 ones do not (its sampling checks need about 1e-4, and llama.cpp's f16 kernels
// differ from the reference on the f16-rounded weights by up to 1e-2 there). Each `refused` cell of
// every weight type (Q8_0 and Q4_0 included) is refused at creation with the cell's reason. The last
// test checks that every cell was checked (quantized.test.ts checks the Q8_0 and Q4_0 `works` cells).
const coverage = new FamilySupportCoverage('llamacpp');
const floatWeights: readonly MatrixType[] = ['f32', 'f16'];
const everyWeights = ['f32', 'f16', 'q8_0', 'q4_0'] as const;

/**
 * Largest surprisal error relative to max(1, |expected|), as the conformance suite measures it, over
 * 31 scored tokens (measured with these seeds). F32 files: llama.cpp computes in float32, ≤ 4e-6
 * (Llama 3, whose 128,256-way softmax sums in float32: 1.6e-5; Gemma 3, whose GELU goes through ggml's
 * f16 lookup table: 3.4e-5, 8e-4 absolute on surprisals up to 35). F16 files (reference on the
 * f16-rounded weights): ggml's CPU kernels also round the activations to f16 before f16 matrix
 * products, 1.4e-4 (Gemma 3) to 2.2e-3 (Mistral), up to 1.6e-2 absolute. After a compaction: F32 files
 * ≤ 1.6e-5 (Llama 3), F16 files ≤ 1.0e-3.
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

describe('every family as GGUF, run by llama.cpp, scores like the reference', () => {
  // 32 tokens: past Gemma 3's window of 8, so its sliding layer really slides.
  const tokens = randomTokens(72, 32);
  for (const { family, weights: matrixType } of coverage.cells(floatWeights, 'works')) {
    it(`${family}, ${matrixType}: through the backend, which reports exact shifts and compacts like the reference`, async () => {
      const file = writeFamilyFile(family, matrixType, { seed: 71 });
      const { config } = file.model;
      const backend = await openTestBackend(file.path, 64);
      const reference = createReferenceBackend({ model: file.reference });
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
        const before = largestRelativeDifference(actual, referenceSurprisal(file.reference, tokens));
        // Evict token 1 and every third one after it, then score more. The backend keeps token 0, so it
        // shifts the kept keys (evicting token 0 re-evaluates instead); the reference backend re-rotates
        // its cached keys exactly (per-layer RoPE at the compacted positions).
        const expected = await reference.createSequence({ capacity: 64 });
        await expected.append(tokens);
        const keep = Uint32Array.from(tokens.keys()).filter((index) => index % 3 !== 1);
        await sequence.retain(keep);
        await expected.retain(keep);
        const more = randomTokens(76, 12);
        const after = largestRelativeDifference(
          (await sequence.append(more)).surprisal,
          (await expected.append(more)).surprisal,
        );
        console.info(
          `${family} ${matrixType}: largest relative difference ${before.toExponential(2)}, ` +
            `after compaction ${after.toExponential(2)}`,
        );
        expect(before).toBeLessThan(tolerances[matrixType]);
        expect(after).toBeLessThan(tolerances[matrixType]);
        expect(sequence.statistics.shiftedTokens).toBeGreaterThan(0);
      } finally {
        await backend.dispose();
        await reference.dispose();
      }
      coverage.record('surprisal', family, matrixType);
    });
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

/** What `createLlamaCppBackend` rejects with on `path`, and how many times it tried to load the model. */
async function refusalAtCreation(path: string): Promise<{ error: Error; loads: number }> {
  let loads = 0;
  const watching = {
    loadModel: async () => {
      loads++;
      throw new Error('the model must not load');
    },
  } as unknown as Llama;
  const error = await rejection(() =>
    createLlamaCppBackend({ modelPath: path, llama: watching, threads: testThreads }),
  );
  return { error, loads };
}

describe('what the backend says about each family', () => {
  for (const cell of coverage.cells(everyWeights, 'refused')) {
    if (cell.result !== 'refused') continue;
    it(`${cell.family}, ${cell.weights}: refused before the model loads, saying why`, async () => {
      const { path } = writeTinyModel({ family: cell.family }, { tensorType: cell.weights });
      const { error, loads } = await refusalAtCreation(path);
      expect(PositionShiftUnsupportedError.isInstance(error)).toBe(true);
      expect(error.message).toContain(cell.reason);
      expect(loads).toBe(0);
      coverage.record('refusal', cell.family, cell.weights);
    });
  }

  it('gemma3: the refusal names the sliding window and what to use instead', async () => {
    const { error } = await refusalAtCreation(writeFamilyFile('gemma3', 'f32').path);
    expect((error as PositionShiftUnsupportedError).scheme).toBe('sliding-window');
    expect(error.message).toMatch(/transformers\.js backend \(@sirllm\/transformers\)/);
  });
});

// F32 cells. One layer, so the suite's compaction check (evict, then equal a fresh forward at compacted positions)
// runs. Llama 3 with its real θ and scaling but a small vocabulary: the suite's many full-row checks
// (sampling) over 128,256 tokens would take a minute; the real size is checked above.
for (const { family, weights: matrixType } of coverage.cells(['f32'], 'works')) {
  runBackendConformance(
    `llama.cpp, ${family} family, ${matrixType}`,
    async () => {
      const file = writeFamilyFile(family, matrixType, {
        seed: 75,
        layers: 1,
        ...(family === 'llama3' ? { vocabularySize: 512 } : {}),
      });
      const backend = await openTestBackend(file.path, 512);
      coverage.record('conformance', family, matrixType);
      return { backend, model: file.reference, tolerance: tolerances[matrixType] };
    },
    { capacity: 64 },
  );
}

describe('the family matrix on llama.cpp', () => {
  it('every cell was checked: works cells of F32 and F16 files by both checks, refused cells of every type', () => {
    expect([
      ...coverage.differences('surprisal', floatWeights, 'works'),
      ...coverage.differences('conformance', ['f32'], 'works'),
      ...coverage.differences('refusal', everyWeights, 'refused'),
    ]).toEqual([]);
  });
});
