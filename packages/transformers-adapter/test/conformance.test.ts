import { createTinyLlama } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

// GroupQueryAttention on onnxruntime's CPU needs head_dim to be a multiple of 16: 64 wide / 4 heads.
const variants = [
  { style: 'position-ids', cacheType: 'float32', tolerance: 1e-4 },
  { style: 'group-query-attention', cacheType: 'float32', tolerance: 1e-4 },
  { style: 'position-ids', cacheType: 'float16', tolerance: 2e-2 },
  { style: 'group-query-attention', cacheType: 'float16', tolerance: 2e-2 },
] as const;

for (const { style, cacheType, tolerance } of variants) {
  runBackendConformance(
    `transformers.js (${style}, ${cacheType} cache)`,
    async () => {
      const model = createTinyLlama({ hiddenSize: 64 });
      const folder = writeTestModel(model, { style, cacheType });
      const backend = await createTransformersBackend({
        model: folder.path,
        dtype: cacheType === 'float16' ? 'fp16' : 'fp32',
        threads: 1,
        chunkSize: 32,
      });
      return {
        backend,
        model,
        tolerance,
        dispose: async () => {
          await backend.dispose();
          folder.remove();
        },
      };
    },
    { capacity: 64 },
  );
}
