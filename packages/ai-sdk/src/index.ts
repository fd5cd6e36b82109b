export { createMemorySessionStore, type SessionStore } from '@sirllm/chat';
export type { SirLLMLanguageModelOptions } from './provider-options.js';
export { SirLLMLanguageModel } from './sirllm-language-model.js';
export { createSirLLM, type SirLLMProvider } from './sirllm-provider.js';
export type { SirLLMModelSettings, SirLLMProviderSettings } from './sirllm-provider-settings.js';
