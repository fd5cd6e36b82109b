import { InvalidOptionError } from '@sirllm/core';
import { assembleTransformersBackend } from '../assemble-backend.js';
import { checkSharedOptions } from '../shared-options.js';
import type { TransformersBackend } from '../transformers-backend.js';
import { loadWithEnvironment } from '../transformers-environment.js';
import type { BrowserTransformersBackendOptions } from './browser-backend-options.js';
import { chooseDevice } from './choose-device.js';
import { loadServedModel } from './load-served-model.js';
import { checkOnnxRuntimeSettings, recordOnnxRuntimeThreads } from './onnx-runtime-files.js';
import { readServedModelFolder } from './served-model-folder.js';

/** Every option of {@link BrowserTransformersBackendOptions}: anything else is a typo, refused by name. */
const optionNames: (keyof BrowserTransformersBackendOptions)[] = [
  'model',
  'device',
  'wasmFiles',
  'dtype',
  'threads',
  'chunkSize',
  'rotateFromOriginalKeys',
  'maximumCapacity',
  'name',
  'cacheModelFiles',
];

const devices = ['wasm', 'webgpu', 'auto'] as const;

/**
 * Loads a causal LM served over HTTP with transformers.js in a browser page or Web Worker and wraps it as
 * a SirLLM backend — the same {@link TransformersBackend} as on Node (same cache handling, re-rotation,
 * snapshots, and the same `info.fingerprint` for the same folder). Checks the folder first
 * (`InvalidOptionError` naming the URL that failed), fetches nothing else but onnxruntime-web's files
 * from `wasmFiles`, and runs on WASM or WebGPU (`device`).
 *
 * transformers.js runs one inference at a time per page or worker: sequences of one backend (and
 * backends of one worker) take turns; for parallel conversations use several workers.
 */
export async function createBrowserTransformersBackend(
  options: BrowserTransformersBackendOptions,
): Promise<TransformersBackend> {
  const checked = checkSharedOptions(
    options,
    optionNames,
    'createBrowserTransformersBackend',
    'the URL of a model folder, e.g. "/models/sirllm-grocery-demo/"',
  );
  const device = options.device ?? 'wasm';
  if (!devices.includes(device)) {
    throw new InvalidOptionError({ option: 'device', value: device, expected: '"wasm", "webgpu" or "auto"' });
  }
  if (options.cacheModelFiles !== undefined && typeof options.cacheModelFiles !== 'boolean') {
    throw new InvalidOptionError({
      option: 'cacheModelFiles',
      value: options.cacheModelFiles,
      expected: 'a boolean',
    });
  }
  const threads = checked.threads ?? 1;
  checkOnnxRuntimeSettings(options.wasmFiles, threads);
  const folder = await readServedModelFolder(options.model, checked.dtype);
  const chosen = await chooseDevice(device, checked.dtype);
  const transformers = await import('@huggingface/transformers');
  const settings = {
    localModelPath: folder.parent,
    allowLocalModels: true,
    allowRemoteModels: false,
    useBrowserCache: options.cacheModelFiles ?? false,
  };
  const { model, tokenizer } = await loadWithEnvironment(transformers.env, settings, async () => {
    // Checked again in turn: a load that finished meanwhile may have fixed the thread count.
    checkOnnxRuntimeSettings(options.wasmFiles, threads);
    const loaded = await loadServedModel(transformers, folder, {
      dtype: checked.dtype,
      device: chosen,
      wasmFiles: options.wasmFiles,
      threads,
    });
    recordOnnxRuntimeThreads(threads);
    return loaded;
  });
  return assembleTransformersBackend(
    {
      transformers,
      model,
      tokenizer,
      source: options.model,
      defaultName: folder.id,
      config: folder.config,
      fingerprint: folder.fingerprint,
    },
    { ...checked, device: chosen },
  );
}
