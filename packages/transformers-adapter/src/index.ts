export { createTransformersBackend } from './create-transformers-backend.js';
export { readSnapshotFile, writeSnapshotFile } from './snapshot-file.js';
export { TransformersBackend, type TransformersDevice } from './transformers-backend.js';
export type { TransformersBackendOptions, TransformersDtype } from './transformers-backend-options.js';
export { TransformersSequence } from './transformers-sequence.js';
