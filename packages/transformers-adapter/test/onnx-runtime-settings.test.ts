import { InvalidOptionError } from '@sirllm/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

// onnxruntime-web reads its files' location and its thread count once per page or worker: the browser
// backend checks a load's settings before loading, and records the count after the first load succeeds.

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

async function freshModule() {
  return import('../src/browser/onnx-runtime-files.js');
}

describe('onnxruntime-web settings of the browser backend', () => {
  it('applies the files and threads of the first load only, and then refuses another count', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    const { applyOnnxRuntimeSettings, checkOnnxRuntimeSettings, recordOnnxRuntimeThreads } =
      await freshModule();
    const environment = { wasm: {} as { wasmPaths?: unknown; numThreads?: number } };
    checkOnnxRuntimeSettings('/ort/', 2);
    applyOnnxRuntimeSettings(environment, '/ort/', 2);
    expect(environment.wasm).toEqual({ wasmPaths: '/ort/', numThreads: 2 });
    // The load failed before recording: a retry may still choose.
    checkOnnxRuntimeSettings('/ort/', 1);
    recordOnnxRuntimeThreads(2);
    expect(() => checkOnnxRuntimeSettings('/ort/', 1)).toThrow(
      /fixed this page's \(or worker's\) thread count/u,
    );
    checkOnnxRuntimeSettings('/elsewhere/', 2);
    applyOnnxRuntimeSettings(environment, '/elsewhere/', 2);
    expect(environment.wasm).toEqual({ wasmPaths: '/ort/', numThreads: 2 }); // unchanged after the first load
  });

  it('refuses more than one thread without cross-origin isolation, and a malformed wasmFiles', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    const { checkOnnxRuntimeSettings } = await freshModule();
    expect(() => checkOnnxRuntimeSettings(undefined, 2)).toThrow(/cross-origin-isolated/u);
    checkOnnxRuntimeSettings(undefined, 1);
    // (a fresh module graph per test: the error class is matched by its marker, not by instanceof)
    expect(() => checkOnnxRuntimeSettings({ mjs: '/a.mjs' } as never, 1)).toThrow(
      expect.toSatisfy((error) => InvalidOptionError.isInstance(error) && error.option === 'wasmFiles'),
    );
  });
});
