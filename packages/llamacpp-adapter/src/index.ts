export type { FormatChatOptions, FormattedChat } from './chat-message.js';
export { createLlamaCppBackend } from './create-llama-cpp-backend.js';
export { LlamaCppBackend } from './llama-cpp-backend.js';
export type {
  EvictionMode,
  KeyValueCacheType,
  KeyValueCacheTypes,
  LlamaCppBackendOptions,
} from './llama-cpp-backend-options.js';
export { LlamaCppSequence } from './llama-cpp-sequence.js';
export type { SequenceStatistics } from './sequence-host.js';
export { writeFileAtomically } from './write-file-atomically.js';
