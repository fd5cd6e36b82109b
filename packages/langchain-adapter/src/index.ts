export { ChatSirLLM } from './chat-sirllm.js';
export type { ChatSirLLMCallOptions, ChatSirLLMFields } from './chat-sirllm-options.js';
