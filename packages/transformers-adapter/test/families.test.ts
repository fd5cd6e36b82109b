import { basename, dirname } from 'node:path';
import { createRandom, PositionShiftUnsupportedError } from '@sirllm/core';
import {
  createReferenceBackend,
  createTinyLlama,
  createTokenizer,
  FamilySupportCoverage,
  type ModelFamily,
  modelFamilies,
  type OnnxCacheType,
  type OnnxExportStyle,
  referenceForward,
  withFloat16Matrices,
} from '@sirllm/testkit';
import { expectedSurprisal } from '@sirllm/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createTransformersBackend } from '../src/index.js';
import { maximumDifference } from './maximum-difference.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

// Every family written as the ONNX folder transformers.js loads for its model_type, run by the adapter:
// scores against the float64 reference of the same (float16-rounded, for float16 weights) matrices,
// then compaction against the reference backend, which compacts exactly with per-layer RoPE. Gemma 3's
// sliding window (8 on layer 0) is crossed before and after compaction. Measured errors are printed.
// The cases come from the family matrix: every `works` cell of transformers.js (fp32 and fp16 weights);
// the last test checks that every such cell was checked.
const coverage = new FamilySupportCoverage('transformers');
const matrixWeights = ['fp32', 'fp16'] as const;
const weightTypes: Record<(typeof matrixWeights)[number], OnnxCacheType> = {
  fp32: 'float32',
  fp16: 'float16',
};
const styles: readonly OnnxExportStyle[] = ['position-ids', 'group-query-attention'];
const testkitTokenizer = createTokenizer();

/** Both styles; Llama 3's 128,256-token head is large, so GQA only with float16 weights. */
function variants(family: ModelFamily, weightType: OnnxCacheType): OnnxExportStyle[] {
  return styles.filter(
    (style) => family !== 'llama3' || style === 'position-ids' || weightType === 'float16',
  );
}
const bound = 1e-4;

describe('every family on transformers.js against the reference', () => {
  for (const { family, weights } of coverage.cells(matrixWeights, 'works')) {
    const weightType = weightTypes[weights];
    for (const style of variants(family, weightType)) {
      it(`${family}, ${style}, ${weightType} weights: surprisal, then compaction`, async () => {
        const written = createTinyLlama({ family, ...(family === 'llama' ? { hiddenSize: 64 } : {}) });
        const model = weightType === 'float16' ? withFloat16Matrices(written) : written;
        const folder = writeTestModel(written, { style, weightType });
        const backend = await createTransformersBackend({
          model: folder.path,
          threads: 1,
          chunkSize: 16,
        });
        const reference = createReferenceBackend({ model });
        try {
          const random = createRandom(familySeed(family));
          const draw = (count: number) =>
            Array.from({ length: count }, () => Math.floor(random.next() * model.config.vocabularySize));
          const tokens = draw(20);
          const sequence = await backend.createSequence({ capacity: 32 });
          const expected = await reference.createSequence({ capacity: 32 });
          const { surprisal } = await sequence.append(tokens);
          await expected.append(tokens);
          const before = maximumDifference(surprisal, expectedSurprisal(model, [], tokens), 1);
          const beforeLogits = maximumDifference(
            (await sequence.nextTokenLogits()) as Float32Array,
            referenceForward(model, tokens).at(-1) as Float64Array,
          );
          // Evict every third token and the first two; then feed more, past the window again.
          const keep = Uint32Array.from(tokens.keys()).filter((index) => index > 1 && index % 3 !== 1);
          await sequence.retain(keep);
          await expected.retain(keep);
          const more = draw(10);
          const after = maximumDifference(
            (await sequence.append(more)).surprisal,
            (await expected.append(more)).surprisal,
          );
          const afterLogits = maximumDifference(
            (await sequence.nextTokenLogits()) as Float32Array,
            (await expected.nextTokenLogits()) as Float64Array,
          );
          console.info(
            `[family ${family}, ${style}, ${weightType} weights] before compaction: surprisal ${before.toExponential(2)}, ` +
              `logits ${beforeLogits.toExponential(2)}; after: surprisal ${after.toExponential(2)}, ` +
              `logits ${afterLogits.toExponential(2)}`,
          );
          expect(before).toBeLessThanOrEqual(bound);
          expect(beforeLogits).toBeLessThanOrEqual(bound);
          expect(after).toBeLessThanOrEqual(bound);
          expect(afterLogits).toBeLessThanOrEqual(bound);
          coverage.record('surprisal', family, weights);
        } finally {
          await backend.dispose();
          await reference.dispose();
          folder.remove();
        }
      });
    }
  }

  // Refused cells (none today) must be refused at creation with the cell's reason.
  for (const cell of coverage.cells(matrixWeights, 'refused')) {
    if (cell.result !== 'refused') continue;
    it(`${cell.family}, ${cell.weights}: refused at creation, saying why`, async () => {
      const folder = writeTestModel(createTinyLlama({ family: cell.family }), {
        weightType: weightTypes[cell.weights],
      });
      try {
        const error = await createTransformersBackend({ model: folder.path, threads: 1 }).then(
          () => undefined,
          (rejection: unknown) => rejection,
        );
        expect(PositionShiftUnsupportedError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain(cell.reason);
        coverage.record('refusal', cell.family, cell.weights);
      } finally {
        folder.remove();
      }
    });
  }
});

describe('transformers.js loads each family with its own class', () => {
  const expected: Record<ModelFamily, string> = {
    llama: 'LlamaForCausalLM',
    llama3: 'LlamaForCausalLM',
    smollm2: 'LlamaForCausalLM',
    mistral: 'MistralForCausalLM',
    qwen2: 'Qwen2ForCausalLM',
    qwen3: 'Qwen3ForCausalLM',
    phi3: 'Phi3ForCausalLM',
    gemma3: 'Gemma3ForCausalLM',
  };
  it('maps config.json model_type to the class; only Gemma 3 has no position_ids', async () => {
    const { AutoModelForCausalLM, env } = await import('@huggingface/transformers');
    const saved = { localModelPath: env.localModelPath, allowLocalModels: env.allowLocalModels };
    try {
      for (const family of modelFamilies) {
        // The vocabulary size does not change the class; a small one (the testkit tokenizer's, which
        // fits it) keeps Llama 3's file small.
        const folder = writeTestModel(
          createTinyLlama({ family, vocabularySize: testkitTokenizer.vocabularySize }),
          {
            tokenizer: testkitTokenizer,
          },
        );
        env.localModelPath = dirname(folder.path);
        env.allowLocalModels = true;
        const model = await AutoModelForCausalLM.from_pretrained(basename(folder.path), {
          dtype: 'fp32',
          local_files_only: true,
        });
        try {
          const session = (model as unknown as { sessions: { model: { inputNames: string[] } } }).sessions
            .model;
          expect(model.constructor.name, family).toBe(expected[family]);
          expect(session.inputNames.includes('position_ids'), family).toBe(family !== 'gemma3');
        } finally {
          await model.dispose();
          folder.remove();
        }
      }
    } finally {
      env.localModelPath = saved.localModelPath;
      env.allowLocalModels = saved.allowLocalModels;
    }
  });
});

function familySeed(family: ModelFamily): number {
  return modelFamilies.indexOf(family) + 31;
}

describe('the family matrix on transformers.js', () => {
  it('every cell was checked: works cells by scores and compaction, refused cells by the refusal', () => {
    expect([
      ...coverage.differences('surprisal', matrixWeights, 'works'),
      ...coverage.differences('refusal', matrixWeights, 'refused'),
    ]).toEqual([]);
  });
});
