// @ts-check
// Runtimes: deno
//
// A Deno script: transformers.js and a MemorySession under Deno, watching the cache turn by turn. After
// every turn it prints how many tokens are resident and evicted, and whether the grocery named in the
// first turn is still in memory with its score (its surprisal, −ln P, when it was read). The answer to
// the last question is streamed token by token.
//
//   pnpm build && deno run -A --node-modules-dir=manual examples/deno-memory.mjs [grocery]
import { fileURLToPath } from 'node:url';
import { env } from '@huggingface/transformers';
import { MemorySession, sirllm } from '@sirllm/core';
import { createTransformersBackend } from '@sirllm/transformers';

env.allowRemoteModels = false; // offline: the model is the bundled folder

const grocery = Deno.args[0] ?? 'tofu';
const modelFolder = fileURLToPath(new URL('../models/sirllm-grocery-demo', import.meta.url));
const backend = await createTransformersBackend({ model: modelFolder, dtype: 'fp32', threads: 1 });
const template = backend.chatTemplate;
if (!template) throw new Error('this example needs a model with a chat template');
const session = await MemorySession.create({ backend, capacity: 96, policy: sirllm({ sinks: 4, decay: 1 }) });
const encoder = new TextEncoder();

/**
 * One dialogue turn: the user message, the model's greedy reply (streamed when `stream` is set), and
 * the template's closing of it.
 * @param {string} content
 * @param {boolean} [stream]
 */
const ask = async (content, stream = false) => {
  const user = /** @type {const} */ ({ role: 'user', content });
  const prompt = template.render([user], { addGenerationPrompt: true });
  const reply = await session.respond(prompt, {
    special: true,
    maxTokens: 16,
    ...(stream ? { onToken: ({ text }) => Deno.stdout.writeSync(encoder.encode(text)) } : {}),
  });
  const closed = template.render([user, { role: 'assistant', content: reply.text }], {
    addGenerationPrompt: false,
  });
  await session.ingest(closed.slice(prompt.length + reply.text.length), { special: true, role: 'assistant' });
  return reply.text.trim();
};

/** Where the first turn's grocery is: resident (and its score) or evicted. */
function groceryInMemory() {
  const { ledger } = session;
  for (let index = 0; index < ledger.length; index++) {
    const { token, turn, score } = ledger.entry(index);
    if (turn === 0 && backend.detokenize([token]).trim() === grocery) {
      return `"${grocery}" resident at cell ${index}, score ${score.toFixed(1)}`;
    }
  }
  return `"${grocery}" evicted`;
}

/** @param {string} label */
function report(label) {
  const { resident, capacity, evicted } = session.statistics;
  console.log(
    `${label.padEnd(40)} ${String(resident).padStart(3)}/${capacity} resident ${String(evicted).padStart(4)} evicted   ${groceryInMemory()}`,
  );
}

console.log(`Deno ${Deno.version.deno}, transformers.js`);
await ask(`I want you to buy the GROCERY: [${grocery}].`);
report(`I want you to buy the GROCERY: [${grocery}].`);
for (const question of [
  'Where would you see a giraffe? Choices:  (A) zoo (B) office (C) church (D) bank (E) hospital',
  'What animal barks? Choices:  (A) cat (B) dog (C) fish (D) bird (E) horse',
  'When do most people sleep? Choices:  (A) noon (B) morning (C) night (D) lunch (E) breakfast',
  'Where do fish live? Choices:  (A) desert (B) tree (C) water (D) cave (E) cloud',
  'What season is the coldest? Choices:  (A) summer (B) spring (C) autumn (D) winter (E) monsoon',
]) {
  await ask(question);
  report(question.slice(0, question.indexOf(' Choices')));
}
const options = ['jelly', 'shrimp', 'honey', 'oats'].filter((option) => option !== grocery).slice(0, 3);
options.splice(1, 0, grocery);
const recall = `Which one is the GROCERY that I want you to buy earlier? Choices:  ${options.map((option, index) => `(${'ABCD'[index]}) ${option}`).join(' ')}`;
console.log(`user: ${recall}`);
Deno.stdout.writeSync(encoder.encode('model: '));
const answer = await ask(recall, true);
console.log(answer === grocery ? '  (remembered)' : '  (forgotten)');
await session.dispose();
await backend.dispose();
