import { BackendError } from '@sirllm/core';
import type { TransformersDtype } from '../transformers-backend-options.js';
import type { OnnxRuntimeFiles } from './browser-backend-options.js';
import { applyOnnxRuntimeSettings, type OnnxWebEnvironment } from './onnx-runtime-files.js';
import type { ServedModelFolder } from './served-model-folder.js';

/** The slice of transformers.js' web build the load uses. */
interface TransformersWeb {
  readonly env: { readonly backends: { readonly onnx: unknown } };
  readonly AutoModelForCausalLM: { from_pretrained(id: string, options: object): Promise<unknown> };
  readonly AutoTokenizer: { from_pretrained(id: string, options: object): Promise<unknown> };
}

/** How {@link loadServedModel} loads a checked folder. */
export interface ServedModelLoad {
  readonly dtype: TransformersDtype;
  readonly device: 'wasm' | 'webgpu';
  readonly wasmFiles: OnnxRuntimeFiles | undefined;
  readonly threads: number;
}

/**
 * Loads a served folder's model and tokenizer with transformers.js, after pointing onnxruntime-web at its
 * files. Run it inside `loadWithEnvironment` with `env` pointed at the folder (local models on, hub
 * downloads off). Rejects with `BackendError` saying what failed.
 */
export async function loadServedModel(
  transformers: TransformersWeb,
  folder: ServedModelFolder,
  load: ServedModelLoad,
): Promise<{ model: unknown; tokenizer: unknown }> {
  applyOnnxRuntimeSettings(
    transformers.env.backends.onnx as OnnxWebEnvironment,
    load.wasmFiles,
    load.threads,
  );
  let model: unknown;
  try {
    model = await transformers.AutoModelForCausalLM.from_pretrained(folder.id, {
      dtype: load.dtype,
      device: load.device,
      local_files_only: true,
    });
    const tokenizer = await transformers.AutoTokenizer.from_pretrained(folder.id, { local_files_only: true });
    return { model, tokenizer };
  } catch (cause) {
    if (model !== undefined)
      await (model as { dispose(): Promise<unknown> }).dispose().catch(() => undefined);
    throw new BackendError(
      `transformers.js could not load the model at ${folder.url.href} on ${load.device}: ${(cause as Error).message}. After a failed load, use a new Web Worker (or reload the page): transformers.js may refuse every later model of this one.`,
      { cause },
    );
  }
}
