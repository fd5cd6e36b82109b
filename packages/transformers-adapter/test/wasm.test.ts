import { createTinyLlama } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createTransformersBackend } from '../src/index.js';
import { browserTestModels } from '../test-browser/test-model-specs.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

// The same conformance suite on onnxruntime-web's WebAssembly build (offline, from node_modules), over the
// models the in-page suite runs in Chromium.
for (const spec of browserTestModels) {
  runBackendConformance(
    `transformers.js WASM (${spec.export.style}, ${spec.export.cacheType} cache)`,
    async () => {
      const model = createTinyLlama(spec.tinyLlama);
      const folder = writeTestModel(model, spec.export);
      const backend = await createTransformersBackend({
        model: folder.path,
        dtype: spec.dtype,
        runtime: 'wasm',
        threads: 1,
        chunkSize: 32,
      });
      await stayOffline();
      return {
        backend,
        model,
        tolerance: spec.tolerance,
        dispose: async () => {
          await backend.dispose();
          folder.remove();
        },
      };
    },
    { capacity: 64 },
  );
}
