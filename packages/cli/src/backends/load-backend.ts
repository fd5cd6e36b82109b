import { availableParallelism } from 'node:os';
import type { KVBackend } from '@sirllm/core';
import type { KeyValueCacheType } from '@sirllm/eval';
import { UsageError } from '../arguments/usage-error.js';
import { parseTestkitModel } from './testkit-model-specification.js';

/** Backends the command line can load. */
export const backendNames = ['reference', 'llamacpp', 'transformers'] as const;
export type BackendName = (typeof backendNames)[number];

/** How {@link loadBackend} sets a backend up. */
export interface BackendSettings {
  /** CPU threads of the native backends (default: every core); a model of a few million parameters runs fastest on one. */
  readonly threads?: number;
  /**
   * llama.cpp only (the other backends' cache type comes with their model; `resolveEvaluationConfig`
   * refuses it for them): the element type of its key-value cache (default `f16`, llama.cpp's own).
   * `f32` computes what the float32 ONNX model computes, e.g. for the bundled demo model.
   */
  readonly keyValueCacheType?: KeyValueCacheType;
}

/**
 * Loads a backend for `model`:
 * - `reference`: a testkit tiny Llama (`tiny`, `tiny:layers=2,seed=3`), exact and slow, no download;
 * - `llamacpp`: a GGUF file through node-llama-cpp (install `node-llama-cpp`);
 * - `transformers`: a local ONNX model folder or a hub id through transformers.js (install
 *   `@huggingface/transformers`).
 * Adapters are imported only when asked for, so the others need not be installed.
 */
export async function loadBackend(
  command: string,
  backend: string,
  model: string,
  settings: BackendSettings = {},
): Promise<KVBackend> {
  const threads = settings.threads ?? availableParallelism();
  switch (backend) {
    case 'reference': {
      const { createReferenceBackend } = await import('@sirllm/testkit');
      return createReferenceBackend({ model: parseTestkitModel(command, model) });
    }
    case 'llamacpp': {
      const { createLlamaCppBackend } = await importAdapter<typeof import('@sirllm/llamacpp')>(
        '@sirllm/llamacpp',
        'node-llama-cpp',
      );
      return createLlamaCppBackend({
        modelPath: model,
        threads,
        ...(settings.keyValueCacheType === undefined ? {} : { kvCacheType: settings.keyValueCacheType }),
      });
    }
    case 'transformers': {
      const { createTransformersBackend } = await importAdapter<typeof import('@sirllm/transformers')>(
        '@sirllm/transformers',
        '@huggingface/transformers',
      );
      return createTransformersBackend({ model, threads });
    }
    default:
      throw new UsageError(command, `unknown backend "${backend}" (expected ${backendNames.join(', ')})`);
  }
}

async function importAdapter<T>(packageName: string, library: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ packageName)) as T;
  } catch (error) {
    throw new Error(
      `${packageName} could not be loaded (${error instanceof Error ? error.message : String(error)}); ` +
        `install it and its peer dependency ${library}, or use --backend reference.`,
    );
  }
}
