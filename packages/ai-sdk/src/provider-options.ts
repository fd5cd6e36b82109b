import { parseProviderOptions } from '@ai-sdk/provider-utils';
import * as z from 'zod/v4';

/**
 * What a call passes under `providerOptions.sirllm` (on `generateText`, `streamText`, an agent, a
 * `prepareStep`): `sessionId` names the conversation whose KV session the call continues. Unknown keys
 * are refused, so a misspelt option fails instead of silently starting a stateless call.
 */
export interface SirLLMLanguageModelOptions {
  /** The conversation this call continues, e.g. `useChat`'s chat id. */
  readonly sessionId?: string;
  /**
   * Identifies the call across retries (send the same id again when retrying): a retry whose turn the
   * session already recorded — the save landed, the answer was lost — gets the recorded reply
   * (`providerMetadata.sirllm.replayed: true`) instead of a second turn.
   */
  readonly requestId?: string;
}

const sirllmLanguageModelOptions = z.strictObject({
  sessionId: z.string().min(1).optional(),
  requestId: z.string().min(1).optional(),
});

/** The call's `providerOptions.sirllm`, validated by the SDK's own option parsing (`InvalidArgumentError` when invalid). */
export async function sirllmOptionsOf(
  providerOptions: Record<string, unknown> | undefined,
): Promise<SirLLMLanguageModelOptions> {
  return (
    (await parseProviderOptions({
      provider: 'sirllm',
      providerOptions,
      schema: sirllmLanguageModelOptions,
    })) ?? {}
  );
}
