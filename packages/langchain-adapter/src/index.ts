export { ChatSirLLM } from './chat-sirllm.js';
export type { ChatSirLLMCallOptions, ChatSirLLMFields } from './chat-sirllm-options.js';
export { createFileSessionStore } from './file-session-store.js';
export { createMemorySessionStore, type SessionStore } from './session-store.js';
export type { ChatRendering } from './turn-renderer.js';
