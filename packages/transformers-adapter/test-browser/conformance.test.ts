import { createTinyLlama } from '@sirllm/testkit';
import { runBackendConformance } from '@sirllm/testkit/conformance';
import { createBrowserTransformersBackend } from '@sirllm/transformers/browser';
import { browserTestModels } from './test-model-specs.js';

// The Node conformance suite, unchanged, inside Chromium: transformers.js' web build on onnxruntime-web's
// WASM, each testkit model fetched from /test-models/ (served over HTTP by the test server), checked
// against the float64 reference forward pass of the same seeded model built here in the page.
for (const spec of browserTestModels) {
  runBackendConformance(
    `transformers.js in the browser, WASM (${spec.name})`,
    async () => {
      const backend = await createBrowserTransformersBackend({
        model: `/test-models/${spec.name}/`,
        dtype: spec.dtype,
        device: 'wasm',
        wasmFiles: '/ort/',
        threads: 1,
        chunkSize: 32,
      });
      return {
        backend,
        model: createTinyLlama(spec.tinyLlama),
        tolerance: spec.tolerance,
        dispose: () => backend.dispose(),
      };
    },
    { capacity: 64 },
  );
}
