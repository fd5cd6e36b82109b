import { surprisalFromLogits } from '@sirllm/core';
import {
  createTinyLlama,
  type ModelFamily,
  type TinyLlamaModel,
  type TinyLlamaOptions,
  tinyLlamaToGguf,
  withFloat16Matrices,
} from '@sirllm/testkit';
import { expectedSurprisal } from '@sirllm/testkit/conformance';
import type { Token } from 'node-llama-cpp';
import { testLlama, testThreads, writeTemporaryFile } from './gguf-fixtures.js';

/** Matrix storage of a family file under test. */
export type MatrixType = 'f32' | 'f16';

/** A family model written as GGUF, and the model the reference must run to match that file. */
export interface FamilyFile {
  readonly model: TinyLlamaModel;
  /** `model` itself for f32 files; its matrices rounded to float16 for f16 files. */
  readonly reference: TinyLlamaModel;
  readonly path: string;
}

let count = 0;

/** Writes a tiny model of `family` (the family's defaults under `options`) as a GGUF file. */
export function writeFamilyFile(
  family: ModelFamily,
  matrixType: MatrixType,
  options: Omit<TinyLlamaOptions, 'family'> = {},
): FamilyFile {
  const model = createTinyLlama({ ...options, family });
  const path = writeTemporaryFile(
    `family-${family}-${matrixType}-${++count}.gguf`,
    tinyLlamaToGguf(model, { tensorType: matrixType }),
  );
  return { model, reference: matrixType === 'f16' ? withFloat16Matrices(model) : model, path };
}

/**
 * The surprisal of `tokens[1..]` computed by llama.cpp itself (node-llama-cpp, no SirLLM backend: for
 * models the backend refuses), from full logits rows: one context, F32 cache, no flash attention.
 */
export async function llamaCppSurprisal(
  path: string,
  vocabularySize: number,
  tokens: readonly number[],
): Promise<Float64Array> {
  const llama = await testLlama();
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({
      contextSize: 256,
      sequences: 1,
      threads: testThreads,
      flashAttention: false,
      experimentalKvCacheKeyType: 'F32',
      experimentalKvCacheValueType: 'F32',
    });
    const sequence = context.getSequence();
    const results = await sequence.controlledEvaluate(
      tokens.slice(0, -1).map((token) => [token as Token, { generateNext: { logits: true } }]),
    );
    return Float64Array.from(tokens.slice(1), (token, index) => {
      const logits = results[index]?.next.logits;
      if (!logits) throw new Error(`no logits for position ${index}`);
      const row = new Float64Array(vocabularySize).fill(Number.NEGATIVE_INFINITY);
      for (const [id, logit] of logits) row[id] = logit;
      return surprisalFromLogits(row, token);
    });
  } finally {
    await model.dispose();
  }
}

/** The reference surprisal of `tokens[1..]` (the first token has none). */
export function referenceSurprisal(model: TinyLlamaModel, tokens: readonly number[]): Float64Array {
  return expectedSurprisal(model, [], tokens).subarray(1);
}

/** The largest |a − b| / max(1, |b|) over two equally long lists (the conformance suite's measure). */
export function largestRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`lengths ${actual.length} and ${expected.length}`);
  let largest = 0;
  for (let i = 0; i < actual.length; i++) {
    const b = expected[i] as number;
    largest = Math.max(largest, Math.abs((actual[i] as number) - b) / Math.max(1, Math.abs(b)));
  }
  return largest;
}
