import { createTinyLlama } from '@sirllm/testkit';
import { assertClose, expectedSurprisal } from '@sirllm/testkit/conformance';
import { createBrowserTransformersBackend, hasWebGpuAdapter } from '@sirllm/transformers/browser';
import { describe, expect, it } from 'vitest';
import { browserTestModels } from './test-model-specs.js';

const spec = browserTestModels[0] as (typeof browserTestModels)[number];
const adapter = await hasWebGpuAdapter();

// A smoke test, not the suite: software WebGPU (SwiftShader) takes seconds per forward pass. It proves the
// GPU path runs and that its cache — left in GPU buffers by transformers.js, downloaded after every
// pass — round-trips: scoring, compaction with re-rotated keys, and a snapshot restored into a new sequence.
describe('transformers.js in the browser, WebGPU', () => {
  it('scores, compacts and restores like the reference forward pass', async (context) => {
    if (!adapter) {
      context.skip(
        'this browser gives no WebGPU adapter (navigator.gpu.requestAdapter() returned null): run Chromium with --enable-unsafe-webgpu, or on a machine with a GPU',
      );
    }
    const backend = await createBrowserTransformersBackend({
      model: `/test-models/${spec.name}/`,
      dtype: spec.dtype,
      device: 'webgpu',
      wasmFiles: '/ort/',
      threads: 1,
    });
    const model = createTinyLlama(spec.tinyLlama);
    try {
      expect(backend.device).toBe('webgpu');
      const tokens = [5, 17, 42, 9, 77, 23, 61, 30, 12];
      const sequence = await backend.createSequence({ capacity: 16 });
      const first = await sequence.append(tokens.slice(0, 8));
      assertClose(first.surprisal, expectedSurprisal(model, [], tokens.slice(0, 8)), 1e-3, 'webgpu prefill');
      // Evict two cells: the kept keys move to new positions and are re-rotated on the CPU.
      await sequence.retain(Uint32Array.of(0, 1, 2, 5, 6, 7));
      const kept = [0, 1, 2, 5, 6, 7].map((index) => tokens[index] as number);
      const snapshot = sequence.snapshot ? await sequence.snapshot() : undefined;
      const next = await sequence.append(tokens.slice(8));
      assertClose(next.surprisal, expectedSurprisal(model, kept, tokens.slice(8)), 1e-3, 'after compaction');
      expect(snapshot).toBeDefined();
      const restored = await backend.restoreSequence?.(snapshot as Uint8Array, { capacity: 16 });
      const again = await restored?.append(tokens.slice(8));
      assertClose(again?.surprisal ?? [], next.surprisal, 1e-6, 'restored from a snapshot');
    } finally {
      await backend.dispose();
    }
  });
});
