import { InvalidOptionError } from '@sirllm/core';
import type { OnnxRuntimeFiles } from './browser-backend-options.js';

/** The part of onnxruntime-web's `env` the backend sets (transformers.js' `env.backends.onnx`). */
export interface OnnxWebEnvironment {
  readonly wasm: { wasmPaths?: unknown; numThreads?: number };
}

/** The thread count onnxruntime-web was set up with by the first model loaded in this page or worker. */
let threadsInUse: number | undefined;

/**
 * Checks `wasmFiles` and `threads` before anything loads: the files' shape; more than one thread only in a
 * cross-origin-isolated page (onnxruntime-web would quietly run one); and, once a model of this page or
 * worker has loaded, the same count (onnxruntime-web reads it once). Throws `InvalidOptionError`.
 */
export function checkOnnxRuntimeSettings(files: OnnxRuntimeFiles | undefined, threads: number): void {
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
  }
  if (threads > 1 && globalThis.crossOriginIsolated !== true) {
    throw new InvalidOptionError({
      option: 'threads',
      value: threads,
      expected:
        '1: more threads need a cross-origin-isolated page (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); onnxruntime-web would run one',
    });
  }
  if (threadsInUse !== undefined && threadsInUse !== threads) {
    throw new InvalidOptionError({
      option: 'threads',
      value: threads,
      expected: `${threadsInUse}: onnxruntime-web fixed this page's (or worker's) thread count when its first model loaded; use a new Web Worker for another count`,
    });
  }
}

/**
 * Points onnxruntime-web at the page's copies of its files and sets the thread count, unless a model of
 * this page or worker has loaded already (then they are what they were: checked equal by
 * {@link checkOnnxRuntimeSettings}).
 */
export function applyOnnxRuntimeSettings(
  environment: OnnxWebEnvironment,
  files: OnnxRuntimeFiles | undefined,
  threads: number,
): void {
  if (threadsInUse !== undefined) return;
  if (files !== undefined) environment.wasm.wasmPaths = files;
  environment.wasm.numThreads = threads;
}

/** Records that a model loaded with `threads`: from now on every load of this page or worker must use it. */
export function recordOnnxRuntimeThreads(threads: number): void {
  threadsInUse ??= threads;
}
