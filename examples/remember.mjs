// @ts-check
// Runtimes: node, bun
// The README's first example: a conversation three times the cache, and the model still remembers.
import { fileURLToPath } from 'node:url';
import { MemorySession, sirllm } from '@sirllm/core';
import { createLlamaCppBackend } from '@sirllm/llamacpp'; // any GGUF: Llama, Qwen, Mistral, Phi, Gemma…

const backend = await createLlamaCppBackend({
  modelPath: fileURLToPath(
    new URL('../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
  ),
  threads: 1,
  kvCacheType: 'f32',
});
const session = await MemorySession.create({
  backend,
  capacity: 128,
  policy: sirllm({ sinks: 4, decay: 1 }),
});
const say = (/** @type {string} */ content) =>
  session.respond(backend.chatTemplate.render([{ role: 'user', content }], { addGenerationPrompt: true }), {
    special: true,
    maxTokens: 16,
  });

await say('I want you to buy the GROCERY: [honey].');
for (const thing of ['milk', 'paper', 'a book', 'rain', 'a pilot', 'shoes']) {
  await say(`Where would you find ${thing}? Choices:  (A) kitchen (B) library (C) sky (D) airplane (E) shop`);
}
const answer = await say(
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) honey (C) shrimp (D) rice',
);
console.log(answer.text, session.statistics); // honey { resident: 121, evicted: 152, turns: 8, … }
await session.dispose();
await backend.dispose();
