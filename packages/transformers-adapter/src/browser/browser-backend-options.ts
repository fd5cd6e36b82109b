import type { TransformersBackendOptions } from '../transformers-backend-options.js';

/** Where the page serves onnxruntime-web's files: a folder URL, or the two files themselves. */
export type OnnxRuntimeFiles =
  | string
  | {
      /** URL of `ort-wasm-simd-threaded.asyncify.mjs` (from `onnxruntime-web/dist/`). */
      readonly mjs: string;
      /** URL of `ort-wasm-simd-threaded.asyncify.wasm`. */
      readonly wasm: string;
    };

/** Where the model runs in the page. */
export type BrowserDevice = 'wasm' | 'webgpu' | 'auto';

/**
 * Options of {@link createBrowserTransformersBackend}. `dtype`, `chunkSize`, `rotateFromOriginalKeys`,
 * `maximumCapacity` and `name` mean what they mean on Node (`TransformersBackendOptions`; the default name is
 * the folder's last path segment).
 */
export interface BrowserTransformersBackendOptions
  extends Pick<
    TransformersBackendOptions,
    'dtype' | 'chunkSize' | 'rotateFromOriginalKeys' | 'maximumCapacity' | 'name'
  > {
  /**
   * URL of a model folder on the page's origin (absolute, or relative to the script's location: in a
   * Web Worker, the worker script's URL, so prefer a path from the root such as `/models/…`), holding
   * `config.json`, `tokenizer.json`, `tokenizer_config.json` and `onnx/model*.onnx`: for example
   * `'/models/sirllm-grocery-demo/'`. Only this folder is fetched — transformers.js' hub downloads stay
   * off for the load.
   */
  readonly model: string;
  /**
   * `wasm` (default): onnxruntime-web's WebAssembly CPU build. `webgpu`: the GPU through WebGPU (the
   * cache is downloaded after every forward pass; rejects with `BackendError` when the browser gives no
   * adapter, or, for fp16 weights, one without `shader-f16`). `auto`: WebGPU on a hardware adapter that
   * can run the dtype, else WASM (a software adapter such as SwiftShader is far slower than WASM).
   */
  readonly device?: BrowserDevice;
  /**
   * Where onnxruntime-web's `ort-wasm-simd-threaded.asyncify.{mjs,wasm}` are served. Default:
   * transformers.js' own choice, the jsDelivr CDN — pass your copies (from `onnxruntime-web/dist/`) for a
   * page that works offline. Set before the first model of the page loads; later values are ignored.
   */
  readonly wasmFiles?: OnnxRuntimeFiles;
  /**
   * WebAssembly threads (default 1). More than one needs a cross-origin-isolated page (the
   * `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy` headers) and is refused with
   * `InvalidOptionError` without it; onnxruntime-web fixes the count at the first model of a page or
   * worker, so a later load with another count is refused too.
   */
  readonly threads?: number;
  /**
   * Let transformers.js keep the model files in the browser's Cache Storage (default false: each load
   * fetches them, so a changed model is not served stale from Cache Storage; the HTTP cache still follows
   * the server's `Cache-Control`).
   */
  readonly cacheModelFiles?: boolean;
}
