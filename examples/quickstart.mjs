// @ts-check
// Runtimes: node, bun
//
// Quickstart: a conversation that does not fit in the cache, on the bundled demo model (llama.cpp).
// The grocery is named in the first turn, six unrelated questions push the conversation past the
// cache's capacity, then the model is asked which grocery it was. SirLLM keeps the surprising tokens
// (the grocery among them) and answers; StreamingLLM, with the same cache, keeps only the newest tokens
// and cannot.
//
//   pnpm build && node examples/quickstart.mjs      (or: bun examples/quickstart.mjs)
import { fileURLToPath } from 'node:url';
import { MemorySession, sirllm, streamingLLM } from '@sirllm/core';
import { createLlamaCppBackend } from '@sirllm/llamacpp';

const modelPath = fileURLToPath(
  new URL('../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
// threads: 1 keeps it fast on small machines; kvCacheType 'f32' is what this model is evaluated with.
const backend = await createLlamaCppBackend({ modelPath, threads: 1, kvCacheType: 'f32', contextSize: 512 });
const capacity = 128; // KV cells: about 40 % of the conversation below

const grocery = 'cheese';
const questions = [
  'Where do you keep milk cold? Choices:  (A) oven (B) refrigerator (C) drawer (D) garden (E) library',
  'What do people use to cut paper? Choices:  (A) scissors (B) spoon (C) pillow (D) bucket (E) candle',
  'Where would you go to borrow a book? Choices:  (A) bakery (B) stadium (C) library (D) beach (E) garage',
  'What falls from clouds when it rains? Choices:  (A) sand (B) water (C) leaves (D) smoke (E) paper',
  'Where does a pilot work? Choices:  (A) airplane (B) kitchen (C) farm (D) ship (E) school',
  'What do you wear on your feet? Choices:  (A) hat (B) gloves (C) shoes (D) scarf (E) belt',
];
const recall =
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) cheese (C) shrimp (D) black pepper';

/**
 * One dialogue turn in the model's chat format: the user message, the model's greedy reply, then the
 * text the template closes a reply with (the end token that stopped generation is not fed by itself).
 * @param {MemorySession} session
 * @param {string} content
 */
async function ask(session, content) {
  const template = backend.chatTemplate;
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

console.log(`bundled model ${backend.info.name}, llama.cpp, a cache of ${capacity} tokens`);
console.log(`user: I want you to buy the GROCERY: [${grocery}].`);
console.log(`… ${questions.length} unrelated questions …`);
console.log(`user: ${recall}`);
for (const { name, policy } of [
  { name: 'SirLLM', policy: sirllm({ sinks: 4, decay: 1 }) },
  { name: 'StreamingLLM', policy: streamingLLM({ sinks: 4 }) },
]) {
  const session = await MemorySession.create({ backend, capacity, policy });
  await ask(session, `I want you to buy the GROCERY: [${grocery}].`);
  for (const question of questions) await ask(session, question);
  const answer = await ask(session, recall);
  const { resident, evicted, transcriptLength } = session.statistics;
  const verdict = answer === grocery ? 'remembers the grocery' : 'forgot the grocery';
  console.log(`${name}: "${answer}" — ${verdict}`);
  console.log(`  conversation ${transcriptLength} tokens: ${resident} resident, ${evicted} evicted`);
  // Is the grocery of the first turn still in the cache? (The recall turn names it again.)
  const { ledger } = session;
  let kept = 'evicted';
  for (let index = 0; index < ledger.length; index++) {
    const { token, turn, score } = ledger.entry(index);
    if (turn === 0 && backend.detokenize([token]).trim() === grocery) {
      kept = `resident, ${score.toFixed(1)} nats`;
    }
  }
  console.log(`  "${grocery}" from the first turn: ${kept}`);
  await session.dispose();
}
await backend.dispose();
