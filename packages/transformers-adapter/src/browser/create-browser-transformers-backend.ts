import { BackendError, InvalidOptionError } from '@sirllm/core';
import { assembleTransformersBackend } from '../assemble-backend.js';
import { checkSharedOptions } from '../shared-options.js';
import type { TransformersBackend } from '../transformers-backend.js';
import type { BrowserTransformersBackendOptions } from './browser-backend-options.js';
import { chooseDevice } from './choose-device.js';
import { type OnnxWebEnvironment, useOnnxRuntimeFiles } from './onnx-runtime-files.js';
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
  const folder = await readServedModelFolder(options.model, checked.dtype);
  const chosen = await chooseDevice(device);
  const transformers = await import('@huggingface/transformers');
  const { env } = transformers;
  useOnnxRuntimeFiles(env.backends.onnx as OnnxWebEnvironment, options.wasmFiles, checked.threads ?? 1);
  const saved = {
    localModelPath: env.localModelPath,
    allowLocalModels: env.allowLocalModels,
    allowRemoteModels: env.allowRemoteModels,
    useBrowserCache: env.useBrowserCache,
  };
  env.localModelPath = folder.parent;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = options.cacheModelFiles ?? false;
  let model: unknown;
  let tokenizer: unknown;
  try {
    model = await transformers.AutoModelForCausalLM.from_pretrained(folder.id, {
      dtype: checked.dtype,
      device: chosen,
      local_files_only: true,
    });
    tokenizer = await transformers.AutoTokenizer.from_pretrained(folder.id, { local_files_only: true });
  } catch (cause) {
    if (model !== undefined)
      await (model as { dispose(): Promise<unknown> }).dispose().catch(() => undefined);
    throw new BackendError(
      `transformers.js could not load the model at ${folder.url.href} on ${chosen}: ${(cause as Error).message}`,
      { cause },
    );
  } finally {
    env.localModelPath = saved.localModelPath;
    env.allowLocalModels = saved.allowLocalModels;
    env.allowRemoteModels = saved.allowRemoteModels;
    env.useBrowserCache = saved.useBrowserCache;
  }
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
    {
      ...checked,
      device: chosen,
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.rotateFromOriginalKeys === undefined
        ? {}
        : { rotateFromOriginalKeys: options.rotateFromOriginalKeys }),
    },
  );
}
