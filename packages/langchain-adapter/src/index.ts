export { type ChatRendering, createMemorySessionStore, type SessionStore } from '@sirllm/chat';
export { createFileSessionStore } from '@sirllm/chat/node';
export { ChatSirLLM } from './chat-sirllm.js';
export type { ChatSirLLMCallOptions, ChatSirLLMFields } from './chat-sirllm-options.js';
