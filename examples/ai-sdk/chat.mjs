// @ts-check
// Runtimes: node22, bun
//
// The Vercel AI SDK (`ai` 7) over SirLLM: `createSirLLM` makes an AI SDK provider over any SirLLM backend,
// here llama.cpp on the bundled demo model. Each `streamText` call sends the whole history, as AI SDK
// callers always do; `providerOptions.sirllm.sessionId` names the conversation, and its KV session feeds
// only the new message (`usage.inputTokenDetails.cacheReadTokens` counts what it did not evaluate again).
// The cache holds 128 tokens; the conversation outgrows it, and the grocery of the first turn is still
// recalled at the end.
//
//   pnpm build && node examples/ai-sdk/chat.mjs      (Node >= 22; or: bun examples/ai-sdk/chat.mjs)
import { fileURLToPath } from 'node:url';
import { createSirLLM } from '@sirllm/ai-sdk';
import { createLlamaCppBackend } from '@sirllm/llamacpp';
import { streamText } from 'ai';

const modelPath = fileURLToPath(
  new URL('../../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
const backend = await createLlamaCppBackend({ modelPath, threads: 1, kvCacheType: 'f32', contextSize: 512 });
const sirllm = createSirLLM({ backend, capacity: 128, maxOutputTokens: 16 });

const turns = [
  'I want you to buy the GROCERY: [cheese].',
  'Where do you keep milk cold? Choices:  (A) oven (B) refrigerator (C) drawer (D) garden (E) library',
  'What do people use to cut paper? Choices:  (A) scissors (B) spoon (C) pillow (D) bucket (E) candle',
  'Where would you go to borrow a book? Choices:  (A) bakery (B) stadium (C) library (D) beach (E) garage',
  'What falls from clouds when it rains? Choices:  (A) sand (B) water (C) leaves (D) smoke (E) paper',
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) cheese (C) coffee (D) shrimp',
];

/**
 * What the provider reports about the session in `providerMetadata.sirllm` (some of it).
 * @typedef {{ rebuilt: boolean, resident: number, capacity: number, evicted: number }} SessionMetadata
 */

/** @type {import('ai').ModelMessage[]} */
const messages = [];
let reply = '';
for (const content of turns) {
  messages.push({ role: 'user', content });
  const result = streamText({
    model: sirllm(),
    messages,
    providerOptions: { sirllm: { sessionId: 'alice' } },
  });
  reply = '';
  for await (const delta of result.textStream) reply += delta;
  const usage = await result.usage;
  const memory = /** @type {SessionMetadata} */ ((await result.providerMetadata)?.sirllm);
  console.log(`user: ${content.length > 60 ? `${content.slice(0, 57)}...` : content}`);
  console.log(
    `model: ${JSON.stringify(reply)}  prompt ${usage.inputTokens} tokens, cacheRead ${usage.inputTokenDetails.cacheReadTokens}, evaluated ${usage.inputTokenDetails.noCacheTokens}, rebuilt: ${memory.rebuilt}, resident ${memory.resident}/${memory.capacity}, evicted ${memory.evicted}`,
  );
  messages.push({ role: 'assistant', content: reply });
}
console.log(
  `asked for cheese; the model answered ${reply.trim()}: ${reply.trim() === 'cheese' ? 'remembered' : 'forgotten'}`,
);
await sirllm.dispose();
await backend.dispose();
