// Wrapping a backend: middleware around the seam's members that keeps the backend's capabilities.
export type { BackendMiddleware, OptionalCapability } from './backend-middleware.js';
export type { SequenceMiddleware, SequenceOrigin } from './sequence-middleware.js';
export { wrapBackend } from './wrap-backend.js';
export { type WrapSequenceOptions, wrapSequence } from './wrap-sequence.js';
