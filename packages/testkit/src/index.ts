// Tiny seeded Llama models

// The chat format of the testkit tokenizer
export { testkitChatTemplate } from './chat/testkit-chat-template.js';
// ONNX model folders for transformers.js
export * from './onnx/index.js';
// The exact reference backend
export {
  createReferenceBackend,
  ReferenceBackend,
  type ReferenceBackendOptions,
} from './reference-backend/reference-backend.js';
export { referenceForward } from './reference-backend/reference-forward.js';
export { ReferenceSequence } from './reference-backend/reference-sequence.js';
export { createTinyLlama } from './tiny-llama/create-tiny-llama.js';
export { modelFingerprint } from './tiny-llama/model-fingerprint.js';
export {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
  tinyLlamaTensorNames,
  tinyLlamaTensorShapes,
} from './tiny-llama/tensor-names.js';
export type { ModelTensor, TinyLlamaConfig, TinyLlamaModel } from './tiny-llama/tiny-llama-model.js';
export { resolveTinyLlamaConfig, type TinyLlamaOptions } from './tiny-llama/tiny-llama-options.js';
export { byteLevelText } from './tokenizer/byte-level-text.js';
// The byte-level BPE tokenizer
export { ByteLevelTokenizer, type EncodeOptions } from './tokenizer/byte-level-tokenizer.js';
export { createTokenizer, type TokenizerOptions } from './tokenizer/create-tokenizer.js';
export { learnMerges, type MergePair } from './tokenizer/learn-merges.js';
export { preTokenize, preTokenizePattern } from './tokenizer/pre-tokenize.js';
export { type SpecialTokenText, specialTokenTexts } from './tokenizer/special-tokens.js';
export { trainingCorpus } from './tokenizer/training-corpus.js';
export type { VocabularyEntry } from './tokenizer/vocabulary-entry.js';
// GGUF v3 writer (llama.cpp test models)
