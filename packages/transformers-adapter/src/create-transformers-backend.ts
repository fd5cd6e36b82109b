import { basename, dirname } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
import { assembleTransformersBackend } from './assemble-backend.js';
import { isLocalModel, readModelFolder } from './model-folder.js';
import { checkSharedOptions } from './shared-options.js';
import type { TransformersBackend } from './transformers-backend.js';
import type { TransformersBackendOptions } from './transformers-backend-options.js';
import { loadWithEnvironment } from './transformers-environment.js';
import { useWasmRuntime } from './wasm-runtime.js';

/** Every option of {@link TransformersBackendOptions}: anything else is a typo, refused by name. */
const optionNames: (keyof TransformersBackendOptions)[] = [
  'model',
  'dtype',
  'runtime',
  'threads',
  'chunkSize',
  'rotateFromOriginalKeys',
  'maximumCapacity',
  'name',
];

/**
 * Loads a causal LM with transformers.js and wraps it as a SirLLM backend. A local folder is checked
 * first (config.json and the ONNX file for `dtype` must exist) and loaded without network access; any
 * other string is a hub id, loaded as transformers.js' `env` allows. Rejects with `InvalidOptionError`
 * for a missing file, a bad option or a cache layout other than [batch, kv_heads, sequence, head_dim].
 * In a browser, use `createBrowserTransformersBackend` from `@sirllm/transformers/browser`.
 */
export async function createTransformersBackend(
  options: TransformersBackendOptions,
): Promise<TransformersBackend> {
  const checked = checkSharedOptions(
    options,
    optionNames,
    'createTransformersBackend',
    'a model folder or hub id',
  );
  const runtime = options.runtime ?? 'native';
  if (runtime !== 'native' && runtime !== 'wasm') {
    throw new InvalidOptionError({ option: 'runtime', value: runtime, expected: '"native" or "wasm"' });
  }
  const { dtype, threads } = checked;
  const local = isLocalModel(options.model) ? readModelFolder(options.model, dtype) : undefined;

  // transformers.js picks its ONNX runtime when it is first imported: register the WASM one before.
  if (runtime === 'wasm') await useWasmRuntime(threads);
  const transformers = await import('@huggingface/transformers');
  const { env } = transformers;
  const sessionOptions: Record<string, unknown> = {};
  if (threads !== undefined) {
    sessionOptions.intraOpNumThreads = threads;
    sessionOptions.interOpNumThreads = 1;
  }
  if (runtime === 'wasm') sessionOptions.executionProviders = ['wasm'];
  const loadOptions: Record<string, unknown> = {
    dtype,
    device: runtime === 'wasm' ? 'auto' : 'cpu',
    session_options: sessionOptions,
  };
  // Local folders load with hub downloads off; hub ids as transformers.js' env allows.
  const settings = local
    ? { localModelPath: `${dirname(local.path)}/`, allowLocalModels: true, allowRemoteModels: false }
    : {};
  const id = local ? basename(local.path) : options.model;
  if (local) loadOptions.local_files_only = true;
  const { model, tokenizer } = await loadWithEnvironment(env, settings, async () => {
    try {
      const model = await transformers.AutoModelForCausalLM.from_pretrained(id, loadOptions);
      const tokenizer = await transformers.AutoTokenizer.from_pretrained(
        id,
        local ? { local_files_only: true } : {},
      );
      return { model, tokenizer };
    } catch (cause) {
      const message = (cause as Error).message;
      if (runtime === 'wasm' && /backend not found/.test(message)) {
        throw new InvalidOptionError({
          option: 'runtime',
          value: runtime,
          expected:
            '"native": @huggingface/transformers was already imported with onnxruntime-node in this process, ' +
            'and it picks its ONNX runtime at first import; create the first backend with runtime "wasm" ' +
            'before anything imports @huggingface/transformers, or use a separate process',
        });
      }
      throw new InvalidOptionError({
        option: 'model',
        value: options.model,
        expected: `a loadable transformers.js causal LM (${message})`,
      });
    }
  });
  return assembleTransformersBackend(
    {
      transformers,
      model,
      tokenizer,
      source: options.model,
      defaultName: local ? basename(local.path) : options.model,
      ...(local ? { config: local.config, fingerprint: local.fingerprint } : {}),
    },
    { ...checked, device: runtime === 'wasm' ? 'wasm' : 'cpu' },
  );
}
