// The public API of @sirllm/testkit: tiny models, tokenizer, chat format, reference backend, GGUF and ONNX writers.
// The conformance suite is the separate entry @sirllm/testkit/conformance (it needs vitest).

export {
  chatFormatFitting,
  type FamilyChatFormat,
  familyChatFormat,
  familyTokenizer,
  qwenDefaultSystemPrompt,
  testkitChatFormat,
  testkitChatTemplate,
} from './chat/index.js';
export * from './families/index.js';
export * from './gguf/index.js';
export { jsonSchemaViolations } from './json-schema/json-schema-violations.js';
export * from './onnx/index.js';
export { layerRopeSettings } from './reference-backend/layer-rotary-tables.js';
export {
  createReferenceBackend,
  ReferenceBackend,
  type ReferenceBackendOptions,
} from './reference-backend/reference-backend.js';
export { referenceForward } from './reference-backend/reference-forward.js';
export { ReferenceSequence } from './reference-backend/reference-sequence.js';
export * from './scripted-backend/index.js';
export { createTinyLlama } from './tiny-llama/create-tiny-llama.js';
export { withFloat16Matrices } from './tiny-llama/float16-matrices.js';
export { withQuantizedMatrices } from './tiny-llama/quantized-matrices.js';
export type { ModelTensor, TinyLlamaConfig, TinyLlamaModel } from './tiny-llama/tiny-llama-model.js';
export { resolveTinyLlamaConfig, type TinyLlamaOptions } from './tiny-llama/tiny-llama-options.js';
export { ByteLevelTokenizer, type EncodeOptions } from './tokenizer/byte-level-tokenizer.js';
export { createTokenizer, type TokenizerOptions } from './tokenizer/create-tokenizer.js';
export { learnMerges, type MergePair } from './tokenizer/learn-merges.js';
export { type SpecialTokenText, specialTokenTexts } from './tokenizer/special-tokens.js';
export type { VocabularyEntry } from './tokenizer/vocabulary-entry.js';
