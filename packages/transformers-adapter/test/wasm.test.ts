import { createTinyLlama } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

// The same conformance suite on onnxruntime-web's WebAssembly build (offline, from node_modules).
for (const { style, cacheType, tolerance } of [
  { style: 'position-ids', cacheType: 'float32', tolerance: 1e-4 },
  { style: 'position-ids', cacheType: 'float16', tolerance: 2e-2 },
  { style: 'group-query-attention', cacheType: 'float32', tolerance: 1e-4 },
  { style: 'group-query-attention', cacheType: 'float16', tolerance: 2e-2 },
] as const) {
  runBackendConformance(
    `transformers.js WASM (${style}, ${cacheType} cache)`,
    async () => {
      const model = createTinyLlama({ hiddenSize: 64 });
      const folder = writeTestModel(model, { style, cacheType });
      const backend = await createTransformersBackend({
        model: folder.path,
        dtype: cacheType === 'float16' ? 'fp16' : 'fp32',
        runtime: 'wasm',
        threads: 1,
        chunkSize: 32,
      });
      await stayOffline();
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
