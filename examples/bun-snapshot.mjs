// @ts-check
// Runtimes: bun
//
// A Bun script: llama.cpp under Bun, and a conversation saved to disk and continued later. The session
// (the llama.cpp cache, the SirLLM ledger with every resident token's score, the transcript) is written
// with Bun.write, the model is unloaded, then loaded again and the session restored from Bun.file, as a
// later run of the program would. The restored session still remembers the grocery of its first turn.
//
//   pnpm build && bun examples/bun-snapshot.mjs
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemorySession, sirllm } from '@sirllm/core';
import { createLlamaCppBackend } from '@sirllm/llamacpp';

const modelPath = fileURLToPath(
  new URL('../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
const loadModel = () =>
  createLlamaCppBackend({ modelPath, threads: 1, kvCacheType: 'f32', contextSize: 512 });

/**
 * One dialogue turn in the model's chat format: the user message, the model's greedy reply, and the
 * template's closing of it.
 * @param {MemorySession} session
 * @param {string} content
 */
async function ask(session, content) {
  const template = session.backend.chatTemplate;
  if (!template) throw new Error('this example needs a model with a chat template');
  const user = /** @type {const} */ ({ role: 'user', content });
  const prompt = template.render([user], { addGenerationPrompt: true });
  const reply = await session.respond(prompt, { special: true, maxTokens: 16 });
  const closed = template.render([user, { role: 'assistant', content: reply.text }], {
    addGenerationPrompt: false,
  });
  await session.ingest(closed.slice(prompt.length + reply.text.length), { special: true, role: 'assistant' });
  return reply.text.trim();
}

// First run: the grocery and three questions, then save.
let backend = await loadModel();
let session = await MemorySession.create({ backend, capacity: 128, policy: sirllm({ sinks: 4, decay: 1 }) });
console.log(`Bun ${Bun.version}, llama.cpp`);
console.log(
  `user: I want you to buy the GROCERY: [bananas].  model: ${await ask(session, 'I want you to buy the GROCERY: [bananas].')}`,
);
for (const question of [
  'Where do you keep milk cold? Choices:  (A) oven (B) refrigerator (C) drawer (D) garden (E) library',
  'What do people use to cut paper? Choices:  (A) scissors (B) spoon (C) pillow (D) bucket (E) candle',
  'Where would you go to borrow a book? Choices:  (A) bakery (B) stadium (C) library (D) beach (E) garage',
]) {
  await ask(session, question);
}
const path = join(tmpdir(), `sirllm-example-${process.pid}.snapshot`);
const bytes = await Bun.write(path, await session.snapshot());
const before = session.statistics;
console.log(
  `saved: ${bytes} bytes, ${before.resident} resident tokens, ${before.evicted} evicted, ${before.turns} turns`,
);
await session.dispose();
await backend.dispose();

// Later: load the model again and continue where the conversation stopped.
backend = await loadModel();
session = await MemorySession.restore({
  backend,
  snapshot: new Uint8Array(await Bun.file(path).arrayBuffer()),
});
await Bun.file(path).delete();
const after = session.statistics;
console.log(`restored: ${after.resident} resident tokens, ${after.evicted} evicted, ${after.turns} turns`);
for (const question of [
  'What falls from clouds when it rains? Choices:  (A) sand (B) water (C) leaves (D) smoke (E) paper',
  'Where does a pilot work? Choices:  (A) airplane (B) kitchen (C) farm (D) ship (E) school',
]) {
  await ask(session, question);
}
const recall =
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) cereal (B) chicken (C) bananas (D) bread';
console.log(`user: ${recall}`);
console.log(`model: ${await ask(session, recall)}  (${session.statistics.evicted} tokens evicted in all)`);
await session.dispose();
await backend.dispose();
