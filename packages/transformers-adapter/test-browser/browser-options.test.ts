import { BackendError, InvalidOptionError } from '@sirllm/core';
import { createTinyLlama, transformersModelFiles } from '@sirllm/testkit';
import { createBrowserTransformersBackend } from '@sirllm/transformers/browser';
import { describe, expect, it } from 'vitest';
import { fingerprintSampleBytes, modelFingerprint } from '../src/model-fingerprint.js';
import { browserTestModels } from './test-model-specs.js';

const spec = browserTestModels[0] as (typeof browserTestModels)[number];
const served = `/test-models/${spec.name}/`;
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
      // The fingerprint of the same files read whole (as on disk), not through range requests.
      const files = transformersModelFiles(createTinyLlama(spec.tinyLlama), spec.export);
      const bytes = (name: string) => {
        const content = files.get(name) as Uint8Array | string;
        return typeof content === 'string' ? new TextEncoder().encode(content) : content;
      };
      const onnx = bytes('onnx/model.onnx');
      expect(backend.info.fingerprint).toBe(
        modelFingerprint({
          configText: files.get('config.json') as string,
          tokenizerFiles: [bytes('tokenizer.json'), bytes('tokenizer_config.json')],
          onnxSize: onnx.length,
          onnxHead: onnx.slice(0, fingerprintSampleBytes),
          onnxTail: onnx.slice(Math.max(0, onnx.length - fingerprintSampleBytes)),
        }),
      );
    } finally {
      await backend.dispose();
    }
  });

  it('without a WebGPU adapter: webgpu is refused, saying why; auto falls back to WASM', async () => {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const cases = [
      { name: 'no navigator.gpu', value: undefined },
      {
        name: 'requestAdapter() gives null (headless Chromium)',
        value: { requestAdapter: async () => null },
      },
    ];
    try {
      for (const { value } of cases) {
        Object.defineProperty(navigator, 'gpu', { value, configurable: true });
        const refused = createBrowserTransformersBackend({ model: served, wasmFiles, device: 'webgpu' });
        await expect(refused).rejects.toThrow(BackendError);
        await expect(refused).rejects.toThrow(/gives no WebGPU adapter/u);
        const fallback = await createBrowserTransformersBackend({ model: served, wasmFiles, device: 'auto' });
        expect(fallback.device).toBe('wasm');
        await fallback.dispose();
      }
    } finally {
      delete (navigator as { gpu?: unknown }).gpu;
    }
    expect((navigator as { gpu?: unknown }).gpu).toBe(gpu);
  });

  it('auto skips a software adapter (SwiftShader: far slower than WASM)', async () => {
    const software = {
      requestAdapter: async () => ({ info: { isFallbackAdapter: true }, features: new Set() }),
    };
    Object.defineProperty(navigator, 'gpu', { value: software, configurable: true });
    try {
      const backend = await createBrowserTransformersBackend({ model: served, wasmFiles, device: 'auto' });
      expect(backend.device).toBe('wasm');
      await backend.dispose();
    } finally {
      delete (navigator as { gpu?: unknown }).gpu;
    }
  });

  it('refuses more than one thread in a page that is not cross-origin isolated', async () => {
    expect(crossOriginIsolated).toBe(false);
    await expect(
      createBrowserTransformersBackend({ model: '/test-models/never-fetched/', wasmFiles, threads: 2 }),
    ).rejects.toThrow(/cross-origin-isolated/u);
  });
});
