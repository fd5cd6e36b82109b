import {
  createTinyLlama,
  createTokenizer,
  FamilySupportCoverage,
  type ModelFamily,
  type OnnxExportOptions,
  withFloat16Matrices,
} from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

const testkitTokenizer = createTokenizer();

// The cases come from the family matrix: every `works` cell of transformers.js (fp32 weights: the
// variants below; fp16 weights: the family's shape with float16-stored matrices); the last test checks
// that every such cell ran.
const coverage = new FamilySupportCoverage('transformers');
const matrixWeights = ['fp32', 'fp16'] as const;

interface FamilyVariant {
  readonly label: string;
  readonly layers?: number;
  readonly export: OnnxExportOptions;
  readonly tolerance: number;
}

// The backend conformance suite on every family's ONNX folder: both export styles on the family's
// shape, and a one-layer model, on which compaction must equal a fresh forward pass over the kept
// tokens (Gemma 3's one layer is a sliding-window layer: the window is measured on compacted indices).
// Llama 3 runs with the testkit tokenizer's vocabulary instead of its real 128,256 tokens (its RoPE
// scaling and θ stay): with the real size the reference computations of the suite take ~50 s; the
// real-size model is checked in families.test.ts (scores and compaction against the reference).
function variants(family: ModelFamily, weights: (typeof matrixWeights)[number]): FamilyVariant[] {
  if (weights === 'fp16') {
    return [{ label: 'position-ids, float16 weights', export: { weightType: 'float16' }, tolerance: 1e-4 }];
  }
  const list: FamilyVariant[] = [
    { label: 'position-ids', export: {}, tolerance: 1e-4 },
    { label: 'group-query-attention', export: { style: 'group-query-attention' }, tolerance: 1e-4 },
    { label: 'position-ids, 1 layer', layers: 1, export: {}, tolerance: 1e-4 },
  ];
  if (family === 'gemma3') {
    list.push({
      label: 'group-query-attention, float16 cache',
      export: { style: 'group-query-attention', cacheType: 'float16' },
      tolerance: 2e-2,
    });
  }
  return list;
}

for (const { family, weights } of coverage.cells(matrixWeights, 'works')) {
  for (const variant of variants(family, weights)) {
    runBackendConformance(
      `transformers.js, ${family}${family === 'llama3' ? ', testkit vocabulary' : ''} (${variant.label})`,
      async () => {
        const written = createTinyLlama({
          family,
          ...(family === 'llama' ? { hiddenSize: 64 } : {}),
          ...(variant.layers === undefined ? {} : { layers: variant.layers }),
          ...(family === 'llama3' ? { vocabularySize: testkitTokenizer.vocabularySize } : {}),
        });
        const folder = writeTestModel(written, {
          ...variant.export,
          ...(family === 'llama3' ? { tokenizer: testkitTokenizer } : {}),
        });
        const backend = await createTransformersBackend({
          model: folder.path,
          dtype: variant.export.cacheType === 'float16' ? 'fp16' : 'fp32',
          threads: 1,
          chunkSize: 32,
        });
        coverage.record('conformance', family, weights);
        return {
          backend,
          model: variant.export.weightType === 'float16' ? withFloat16Matrices(written) : written,
          tolerance: variant.tolerance,
          dispose: async () => {
            await backend.dispose();
            folder.remove();
          },
        };
      },
      { capacity: 64 },
    );
  }
}

describe('the family matrix on transformers.js', () => {
  it('the conformance suite ran on every works cell', () => {
    expect(coverage.differences('conformance', matrixWeights, 'works')).toEqual([]);
  });
});
