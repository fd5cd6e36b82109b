import { InvalidOptionError } from '@sirllm/core';
import type { OnnxRuntimeFiles } from './browser-backend-options.js';

/** The part of onnxruntime-web's `env` the backend sets (transformers.js' `env.backends.onnx`). */
export interface OnnxWebEnvironment {
  readonly wasm: { wasmPaths?: unknown; numThreads?: number };
}

/** The thread count onnxruntime-web was first set up with in this page or worker. */
let threadsInUse: number | undefined;

/**
 * Points onnxruntime-web at the page's copies of its files and sets the thread count, before the first
 * model of the page or worker loads (onnxruntime-web reads both once). A later, different thread count
 * is refused with `InvalidOptionError`: it could not take effect.
 */
export function useOnnxRuntimeFiles(
  environment: OnnxWebEnvironment,
  files: OnnxRuntimeFiles | undefined,
  threads: number,
): void {
  if (threadsInUse !== undefined && threadsInUse !== threads) {
    throw new InvalidOptionError({
      option: 'threads',
      value: threads,
      expected: `${threadsInUse}: onnxruntime-web fixed this page's (or worker's) thread count when its first model loaded; use a new Web Worker for another count`,
    });
  }
  if (files !== undefined) {
    const valid =
      typeof files === 'string' ||
      (typeof files === 'object' &&
        files !== null &&
        typeof files.mjs === 'string' &&
        typeof files.wasm === 'string');
    if (!valid) {
      throw new InvalidOptionError({
        option: 'wasmFiles',
        value: files,
        expected: 'a folder URL, or { mjs, wasm } URLs of ort-wasm-simd-threaded.asyncify.mjs and .wasm',
      });
    }
    if (threadsInUse === undefined) environment.wasm.wasmPaths = files;
  }
  if (threadsInUse === undefined) environment.wasm.numThreads = threads;
  threadsInUse = threads;
}
