// @ts-check
// Runtimes: node, bun, deno
//
// The transformers.js backend on the bundled model's ONNX folder, offline. The conversation outgrows a
// 128-token cache; then the four answers of the recall question are scored the way the evaluation
// harness scores them: each option is appended to the cache, its log-likelihood read, and rolled back
// (`session.score`); the most likely option is picked and fed.
//
//   pnpm build && node examples/transformers.mjs
//   bun examples/transformers.mjs
//   deno run -A --node-modules-dir=manual examples/transformers.mjs
import { fileURLToPath } from 'node:url';
import { env } from '@huggingface/transformers';
import { MemorySession, sirllm } from '@sirllm/core';
import { createTransformersBackend } from '@sirllm/transformers';

env.allowRemoteModels = false; // never reach for the Hugging Face hub

const modelFolder = fileURLToPath(new URL('../models/sirllm-grocery-demo', import.meta.url));
const backend = await createTransformersBackend({ model: modelFolder, dtype: 'fp32', threads: 1 });
const template = backend.chatTemplate;
if (!template) throw new Error('this example needs a model with a chat template');
const session = await MemorySession.create({
  backend,
  capacity: 128,
  policy: sirllm({ sinks: 4, decay: 1 }),
});

/**
 * One dialogue turn: the user message, the model's greedy reply, and the template's closing of it.
 * @param {string} content
 */
const ask = async (content) => {
  const user = /** @type {const} */ ({ role: 'user', content });
  const prompt = template.render([user], { addGenerationPrompt: true });
  const reply = await session.respond(prompt, { special: true, maxTokens: 16 });
  const closed = template.render([user, { role: 'assistant', content: reply.text }], {
    addGenerationPrompt: false,
  });
  await session.ingest(closed.slice(prompt.length + reply.text.length), { special: true, role: 'assistant' });
  return reply.text.trim();
};

console.log(
  `user: I want you to buy the GROCERY: [salmon].  model: ${await ask('I want you to buy the GROCERY: [salmon].')}`,
);
for (const question of [
  'Where would you see a giraffe? Choices:  (A) zoo (B) office (C) church (D) bank (E) hospital',
  'What animal barks? Choices:  (A) cat (B) dog (C) fish (D) bird (E) horse',
  'When do most people sleep? Choices:  (A) noon (B) morning (C) night (D) lunch (E) breakfast',
  'Where do fish live? Choices:  (A) desert (B) tree (C) water (D) cave (E) cloud',
  'What season is the coldest? Choices:  (A) summer (B) spring (C) autumn (D) winter (E) monsoon',
]) {
  console.log(`user: ${question.slice(0, question.indexOf(' Choices'))}  model: ${await ask(question)}`);
}
const { resident, evicted, capacity } = session.statistics;
console.log(`memory: ${resident}/${capacity} tokens resident, ${evicted} evicted`);

// The recall question, scored like the evaluation harness (prompt format 'chat-template', cloze scoring).
const options = ['butter', 'rice', 'salmon', 'yogurt'];
const user = /** @type {const} */ ({
  role: 'user',
  content: `Which one is the GROCERY that I want you to buy earlier? Choices:  ${options.map((option, index) => `(${'ABCD'[index]}) ${option}`).join(' ')}`,
});
const context = backend.tokenize(template.render([user], { addGenerationPrompt: true }), { special: true });
const continuations = options.map((option) =>
  backend
    .tokenize(
      template.render([user, { role: 'assistant', content: option }], { addGenerationPrompt: false }),
      {
        special: true,
      },
    )
    .slice(context.length),
);
const longest = Math.max(...continuations.map((tokens) => tokens.length));
await session.beginTurn({ incoming: context.length + longest }); // make room, then decay once
await session.ingest(context);
const scores = await session.score(continuations); // appended, read, rolled back
const logLikelihoods = scores.map((score) => -score.surprisal.reduce((sum, value) => sum + value, 0));
const best = logLikelihoods.indexOf(Math.max(...logLikelihoods));
options.forEach((option, index) => {
  console.log(`  ${option.padEnd(8)} log-likelihood ${(logLikelihoods[index] ?? 0).toFixed(2)}`);
});
await session.ingest(continuations[best] ?? [], { role: 'assistant' }); // the chosen answer stays in memory
console.log(`recall: ${options[best]}`);
await session.dispose();
await backend.dispose();
