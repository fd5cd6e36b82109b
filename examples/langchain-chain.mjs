// @ts-check
// Runtimes: node, bun
//
// A LangChain chain with message history: prompt.pipe(new ChatSirLLM(...)) inside
// RunnableWithMessageHistory. Each call sends the whole history, as LangChain always does; ChatSirLLM
// matches it against what the session already evaluated and feeds only the new message
// (usage_metadata.input_token_details.cache_read counts what it did not evaluate again). The session is
// chosen by `configurable.sessionId`: two users talk to one model, each with a bounded cache of its own,
// and each is reminded of their own grocery after the conversation has outgrown that cache.
//
//   pnpm build && node examples/langchain-chain.mjs      (or: bun examples/langchain-chain.mjs)
import { fileURLToPath } from 'node:url';
import { InMemoryChatMessageHistory } from '@langchain/core/chat_history';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { sirllm } from '@sirllm/core';
import { ChatSirLLM } from '@sirllm/langchain';
import { createLlamaCppBackend } from '@sirllm/llamacpp';

const modelPath = fileURLToPath(
  new URL('../models/sirllm-grocery-demo/sirllm-grocery-demo.f32.gguf', import.meta.url),
);
const backend = await createLlamaCppBackend({ modelPath, threads: 1, kvCacheType: 'f32', contextSize: 512 });
const model = new ChatSirLLM({
  backend,
  capacity: 128, // per session
  policy: () => sirllm({ sinks: 4, decay: 1 }),
  maxTokens: 16,
});

const prompt = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('history'), ['human', '{input}']]);
/** @type {Map<string, InMemoryChatMessageHistory>} */
const histories = new Map();
const chain = new RunnableWithMessageHistory({
  runnable: prompt.pipe(model),
  getMessageHistory: (sessionId) => {
    let history = histories.get(sessionId);
    if (!history) {
      history = new InMemoryChatMessageHistory();
      histories.set(sessionId, history);
    }
    return history;
  },
  inputMessagesKey: 'input',
  historyMessagesKey: 'history',
});

/**
 * What ChatSirLLM reports about the session in `response_metadata.sirllm` (some of it).
 * @typedef {{ rebuilt: boolean, evaluated_tokens: number, resident: number, evicted: number, capacity: number }} SessionMetadata
 */

const groceries = { alice: 'cheese', bob: 'coffee' };
const questions = [
  'Where do you keep milk cold? Choices:  (A) oven (B) refrigerator (C) drawer (D) garden (E) library',
  'What do people use to cut paper? Choices:  (A) scissors (B) spoon (C) pillow (D) bucket (E) candle',
  'Where would you go to borrow a book? Choices:  (A) bakery (B) stadium (C) library (D) beach (E) garage',
  'What falls from clouds when it rains? Choices:  (A) sand (B) water (C) leaves (D) smoke (E) paper',
];
const recall =
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) cheese (C) coffee (D) shrimp';

/** The turns of one user's conversation. @param {string} grocery */
const turnsOf = (grocery) => [`I want you to buy the GROCERY: [${grocery}].`, ...questions, recall];

const turns = { alice: turnsOf(groceries.alice), bob: turnsOf(groceries.bob) };
for (let turn = 0; turn < turns.alice.length; turn++) {
  // Alice and Bob take turns; every call names its session.
  for (const sessionId of /** @type {const} */ (['alice', 'bob'])) {
    const input = turns[sessionId][turn] ?? '';
    const reply = await chain.invoke({ input }, { configurable: { sessionId } });
    const usage = reply.usage_metadata;
    const memory = /** @type {SessionMetadata} */ (reply.response_metadata.sirllm);
    console.log(`[${sessionId}] user: ${input.length > 60 ? `${input.slice(0, 57)}...` : input}`);
    console.log(
      `[${sessionId}] model: ${JSON.stringify(reply.content)}  history ${usage?.input_tokens} tokens, cache_read ${usage?.input_token_details?.cache_read}, evaluated ${memory.evaluated_tokens}, rebuilt: ${memory.rebuilt}, resident ${memory.resident}/${memory.capacity}, evicted ${memory.evicted}`,
    );
  }
}
for (const [sessionId, grocery] of Object.entries(groceries)) {
  const messages = await histories.get(sessionId)?.getMessages();
  const answer = String(messages?.at(-1)?.content ?? '').trim();
  console.log(
    `${sessionId} asked for ${grocery}; the model answered ${answer}: ${answer === grocery ? 'remembered' : 'forgotten'}`,
  );
}
await model.dispose();
await backend.dispose();
