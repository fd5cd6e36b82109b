import { InvalidArgumentError, NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { ChatSessions } from '@sirllm/chat';
import { requireInteger } from '@sirllm/core';
import { SirLLMLanguageModel } from './sirllm-language-model.js';
import type { SirLLMModelSettings, SirLLMProviderSettings } from './sirllm-provider-settings.js';

/**
 * An AI SDK provider over one SirLLM backend (one loaded model). `sirllm(modelId?)` and
 * `sirllm.languageModel(modelId?)` give a language model; the id only names the model in results (the
 * backend decides what runs) and defaults to the backend's model name. All models of a provider share
 * its sessions.
 */
export interface SirLLMProvider extends ProviderV4 {
  (modelId?: string, settings?: SirLLMModelSettings): SirLLMLanguageModel;
  languageModel(modelId?: string, settings?: SirLLMModelSettings): SirLLMLanguageModel;
  /** The chat sessions the models run on (for an adapter of another framework over the same sessions). */
  readonly sessions: ChatSessions;
  /** How many sessions are live. */
  readonly sessionCount: number;
  /**
   * Frees one session's cache, or every session's, after their running calls; with a `sessionStore`
   * each is saved first and continues on its next call. The provider stays usable.
   */
  dispose(sessionId?: string): Promise<void>;
  /** Ends a session for good: frees its cache without saving and deletes it from the `sessionStore`. */
  forget(sessionId: string): Promise<void>;
}

/**
 * Creates the provider: `createSirLLM({ backend, capacity })` with any SirLLM backend
 * (`createLlamaCppBackend`, `createTransformersBackend`, the testkit's reference backend). Options are
 * checked here (`InvalidOptionError` naming the option).
 */
export function createSirLLM(settings: SirLLMProviderSettings): SirLLMProvider {
  const sessions = new ChatSessions(settings);
  const maxOutputTokens = requireInteger('maxOutputTokens', settings.maxOutputTokens ?? 256, { minimum: 1 });
  const context = { sessions, maxOutputTokens };
  const languageModel = (modelId?: string, modelSettings: SirLLMModelSettings = {}) => {
    const { sessionId } = modelSettings;
    if (sessionId !== undefined && (typeof sessionId !== 'string' || sessionId === '')) {
      throw new InvalidArgumentError({
        argument: 'sessionId',
        message: 'sessionId must be a non-empty string',
      });
    }
    return new SirLLMLanguageModel(modelId ?? sessions.backend.info.name, modelSettings, context);
  };
  const provider = function (this: unknown, modelId?: string, modelSettings?: SirLLMModelSettings) {
    if (new.target) throw new Error('The SirLLM provider is a function: call it without `new`.');
    return languageModel(modelId, modelSettings);
  } as SirLLMProvider;
  Object.defineProperties(provider, {
    specificationVersion: { value: 'v4', enumerable: true },
    sessions: { value: sessions, enumerable: true },
    sessionCount: { get: () => sessions.sessionCount, enumerable: true },
  });
  Object.assign(provider, {
    languageModel,
    embeddingModel: (modelId: string) => {
      throw new NoSuchModelError({ modelId, modelType: 'embeddingModel' });
    },
    imageModel: (modelId: string) => {
      throw new NoSuchModelError({ modelId, modelType: 'imageModel' });
    },
    dispose: (sessionId?: string) => sessions.dispose(sessionId),
    forget: (sessionId: string) => sessions.forget(sessionId),
  });
  return provider;
}
