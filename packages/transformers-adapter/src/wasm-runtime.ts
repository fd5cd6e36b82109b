import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendError } from '@sirllm/core';

/**
 * Switches transformers.js to onnxruntime-web's WebAssembly build, loaded from the local
 * `onnxruntime-web/dist/` folder (no network): the module is registered where transformers.js looks for
 * a user-provided runtime (`globalThis[Symbol.for('onnxruntime')]`). Affects every later model load in
 * this process.
 */
export async function useWasmRuntime(threads: number | undefined): Promise<void> {
  const registry = globalThis as Record<symbol, unknown>;
  const key = Symbol.for('onnxruntime');
  if (registry[key]) return;
  try {
    const webEntry = onnxRuntimeWebEntry();
    const distribution = onnxRuntimeWebDistribution(webEntry);
    const ort = (await import(pathToFileURL(webEntry).href)) as {
      env: { wasm: { wasmPaths?: unknown; numThreads?: number } };
    };
    ort.env.wasm.wasmPaths = `${distribution}/`;
    ort.env.wasm.numThreads = threads ?? 1;
    registry[key] = ort;
  } catch (cause) {
    throw new BackendError(
      'Could not load onnxruntime-web for the "wasm" runtime; it ships with @huggingface/transformers — reinstall it, or use runtime "native".',
      { cause },
    );
  }
}

/** The entry file of the onnxruntime-web that @huggingface/transformers depends on (the version it pins). */
function onnxRuntimeWebEntry(): string {
  const transformersEntry = createRequire(import.meta.url).resolve('@huggingface/transformers');
  return createRequire(transformersEntry).resolve('onnxruntime-web');
}

/**
 * The `dist/` folder of that onnxruntime-web, holding its `.wasm` and `.mjs` files (also what the browser
 * tests serve at `/ort/`). Throws when @huggingface/transformers or onnxruntime-web is not installed.
 */
export function onnxRuntimeWebDistribution(entry: string = onnxRuntimeWebEntry()): string {
  let folder = dirname(entry);
  while (!folder.endsWith('dist') && dirname(folder) !== folder) folder = dirname(folder);
  return folder.endsWith('dist') ? folder : join(dirname(entry));
}
