// @ts-check
//
// A chat route handler for `useChat` (the shape of a Next.js App Router `app/api/chat/route.ts`, any
// framework with Web `Request`/`Response` works the same). `useChat` POSTs `{ id, messages, trigger }`:
// the chat id becomes the SirLLM session id, so every chat keeps its own bounded KV memory, and a
// `regenerate-message` trigger (the history without its last reply) rewinds that session to before the
// reply instead of evaluating the history again. `use-chat.mjs` drives it the way `useChat` does.
import { fileURLToPath } from 'node:url';
import { createSirLLM } from '@sirllm/ai-sdk';
import { createLlamaCppBackend } from '@sirllm/llamacpp';
import { convertToModelMessages, streamText } from 'ai';

const modelPath = fileURLToPath(
  new URL('../../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
// One model for the whole server; each chat gets a session of 128 cells.
export const backend = await createLlamaCppBackend({
  modelPath,
  threads: 1,
  kvCacheType: 'f32',
  contextSize: 1024,
});
export const sirllm = createSirLLM({ backend, capacity: 128, maxOutputTokens: 16, maxSessions: 8 });

/** @param {Request} request */
export async function POST(request) {
  const { id, messages } = /** @type {{ id: string, messages: import('ai').UIMessage[] }} */ (
    await request.json()
  );
  const result = streamText({
    model: sirllm(),
    messages: await convertToModelMessages(messages),
    providerOptions: { sirllm: { sessionId: id } },
    abortSignal: request.signal,
  });
  return result.toUIMessageStreamResponse({
    // What the session did, sent to the client with the reply (useChat: `message.metadata`).
    messageMetadata: ({ part }) =>
      part.type === 'finish'
        ? {
            cacheRead: part.totalUsage.inputTokenDetails.cacheReadTokens,
            evaluated: part.totalUsage.inputTokenDetails.noCacheTokens,
          }
        : undefined,
  });
}
