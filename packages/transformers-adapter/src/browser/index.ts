// @sirllm/transformers/browser: the transformers.js backend for browser pages and Web Workers. No `node:`
// imports here; the Node entry (`@sirllm/transformers`) adds local folders, the native runtime and files.

export { TransformersBackend, type TransformersDevice } from '../transformers-backend.js';
export type { TransformersDtype } from '../transformers-backend-options.js';
export { TransformersSequence } from '../transformers-sequence.js';
export type {
  BrowserDevice,
  BrowserTransformersBackendOptions,
  OnnxRuntimeFiles,
} from './browser-backend-options.js';
export { hasWebGpuAdapter } from './choose-device.js';
export { createBrowserTransformersBackend } from './create-browser-transformers-backend.js';
