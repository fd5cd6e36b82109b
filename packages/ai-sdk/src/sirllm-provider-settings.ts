import type { ChatSessionsOptions } from '@sirllm/chat';

/**
 * Settings of {@link createSirLLM}: the chat-session options of `@sirllm/chat` (the backend, `capacity`
 * per session, `policy`, chat template and rendering, `maxSessions`, `sessionStore`, engine settings)
 * and the call defaults.
 */
export interface SirLLMProviderSettings extends ChatSessionsOptions {
  /** Most tokens of a reply when a call gives no `maxOutputTokens` (default 256). */
  readonly maxOutputTokens?: number;
}

/** Settings of one model of the provider: `sirllm(modelId, settings)`. */
export interface SirLLMModelSettings {
  /**
   * The session every call of this model continues unless the call names its own in
   * `providerOptions.sirllm.sessionId`. Default: none (a call without a session id runs on a fresh
   * session of its own).
   */
  readonly sessionId?: string;
}
