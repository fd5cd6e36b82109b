import { createTinyLlama, type TinyLlamaOptions } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

// Re-rotation with the model's own RoPE settings: every scaling scheme that can be moved, and a
// partial rotary factor, each against the float64 reference of the same weights.
const variants: [string, TinyLlamaOptions['rope']][] = [
  ['theta 500000, linear ×4', { theta: 500000, scaling: { type: 'linear', factor: 4 } }],
  [
    'llama3 scaling',
    {
      theta: 500000,
      scaling: {
        type: 'llama3',
        factor: 8,
        lowFrequencyFactor: 1,
        highFrequencyFactor: 4,
        originalMaxPositionEmbeddings: 64,
      },
    },
  ],
  ['YaRN scaling', { theta: 10000, scaling: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32 } }],
  ['partial rotary factor 0.5', { theta: 10000, rotaryDimensions: 8 }],
];

for (const [label, rope] of variants) {
  for (const style of ['position-ids', 'group-query-attention'] as const) {
    if (style === 'group-query-attention' && rope?.rotaryDimensions !== undefined) continue;
    runBackendConformance(
      `transformers.js (${style}, ${label})`,
      async () => {
        const model = createTinyLlama({ hiddenSize: 64, rope });
        const folder = writeTestModel(model, { style });
        const backend = await createTransformersBackend({ model: folder.path, threads: 1, chunkSize: 32 });
        return {
          backend,
          model,
          tolerance: 1e-4,
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
