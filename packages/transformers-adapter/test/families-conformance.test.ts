import {
  createTinyLlama,
  createTokenizer,
  type ModelFamily,
  modelFamilies,
  type OnnxExportOptions,
  withFloat16Matrices,
} from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

const testkitVocabularySize = createTokenizer().vocabularySize;

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
function variants(family: ModelFamily): FamilyVariant[] {
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

for (const family of modelFamilies) {
  for (const variant of variants(family)) {
    runBackendConformance(
      `transformers.js, ${family}${family === 'llama3' ? ', testkit vocabulary' : ''} (${variant.label})`,
      async () => {
        const written = createTinyLlama({
          family,
          ...(family === 'llama' ? { hiddenSize: 64 } : {}),
          ...(variant.layers === undefined ? {} : { layers: variant.layers }),
          ...(family === 'llama3' ? { vocabularySize: testkitVocabularySize } : {}),
        });
        const folder = writeTestModel(written, variant.export);
        const backend = await createTransformersBackend({
          model: folder.path,
          dtype: variant.export.cacheType === 'float16' ? 'fp16' : 'fp32',
          threads: 1,
          chunkSize: 32,
        });
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
