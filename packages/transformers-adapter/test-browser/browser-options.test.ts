import { BackendError, InvalidOptionError } from '@sirllm/core';
import { createBrowserTransformersBackend } from '@sirllm/transformers/browser';
import { describe, expect, it } from 'vitest';
import { browserTestModels } from './test-model-specs.js';

const served = `/test-models/${(browserTestModels[0] as (typeof browserTestModels)[number]).name}/`;
const wasmFiles = '/ort/';

// Bad options are refused before anything loads, naming what to change; a folder the page cannot fetch
// is named by the URL that failed.
describe('createBrowserTransformersBackend: options and folders', () => {
  it('refuses unknown options, bad devices and bad runtime files by name', async () => {
    await expect(
      createBrowserTransformersBackend({ model: served, devise: 'wasm' } as never),
    ).rejects.toThrow(/devise.*device/su);
    await expect(createBrowserTransformersBackend({ model: served, device: 'gpu' as never })).rejects.toThrow(
      InvalidOptionError,
    );
    await expect(createBrowserTransformersBackend({ model: '' })).rejects.toThrow(/model/u);
    await expect(
      createBrowserTransformersBackend({ model: served, wasmFiles: { mjs: '/ort/x.mjs' } as never }),
    ).rejects.toThrow(/wasmFiles/u);
  });

  it('names the URL of a folder that is not served, and of a missing ONNX file', async () => {
    const missing = createBrowserTransformersBackend({ model: '/test-models/no-such-model/', wasmFiles });
    await expect(missing).rejects.toThrow(InvalidOptionError);
    await expect(missing).rejects.toThrow(/\/test-models\/no-such-model\/config\.json answered 404/u);
    await expect(createBrowserTransformersBackend({ model: served, dtype: 'q4', wasmFiles })).rejects.toThrow(
      /onnx\/model_q4\.onnx answered 404/u,
    );
  });

  it('refuses a folder on another origin (transformers.js loads local models by path)', async () => {
    await expect(
      createBrowserTransformersBackend({ model: 'http://127.0.0.2:9/models/elsewhere/', wasmFiles }),
    ).rejects.toThrow(/own origin/u);
  });

  it('loads on WASM by default, reports it, and fingerprints the folder as it does on disk', async () => {
    const backend = await createBrowserTransformersBackend({ model: served, wasmFiles, threads: 1 });
    try {
      expect(backend.device).toBe('wasm');
      expect(backend.info.name).toBe(browserTestModels[0]?.name);
      expect(backend.info.fingerprint).toMatch(/^transformers:[0-9a-f]{8}$/u);
      // onnxruntime-web fixed the thread count at the first model of this page: another is refused.
      await expect(
        createBrowserTransformersBackend({ model: served, wasmFiles, threads: 2 }),
      ).rejects.toThrow(/thread count/u);
    } finally {
      await backend.dispose();
    }
  });

  it('says so when WebGPU is asked for and the page has no adapter', async () => {
    const gpu = Object.getOwnPropertyDescriptor(Navigator.prototype, 'gpu');
    Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
    try {
      await expect(
        createBrowserTransformersBackend({ model: served, wasmFiles, device: 'webgpu' }),
      ).rejects.toThrow(BackendError);
    } finally {
      delete (navigator as { gpu?: unknown }).gpu;
      if (gpu) expect('gpu' in navigator).toBe(true);
    }
  });
});
