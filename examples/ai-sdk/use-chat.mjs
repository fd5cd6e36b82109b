// @ts-check
// Runtimes: node22, bun
//
// Drives route.mjs the way `useChat` does in a browser: the AI SDK's own `DefaultChatTransport` POSTs
// `{ id, messages, trigger }` (here to the handler directly, through its `fetch` option, instead of over
// HTTP) and `readUIMessageStream` assembles the streamed reply. Two chats share the server's model, each
// with its own session; then one reply is regenerated, which rewinds that chat's session.
//
//   pnpm build && node examples/ai-sdk/use-chat.mjs      (Node >= 22; or: bun examples/ai-sdk/use-chat.mjs)
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import { backend, POST, sirllm } from './route.mjs';

const transport = new DefaultChatTransport({
  api: '/api/chat',
  fetch: async (url, init) => POST(new Request(new URL(String(url), 'http://localhost'), init)),
});

/** @typedef {import('ai').UIMessage<{ cacheRead?: number, evaluated?: number }>} ChatMessage */

/**
 * Sends a chat's messages and returns the assistant message useChat would show.
 * @param {string} chatId @param {ChatMessage[]} messages @param {'submit-message' | 'regenerate-message'} trigger
 * @returns {Promise<ChatMessage>}
 */
async function send(chatId, messages, trigger) {
  const stream = await transport.sendMessages({
    chatId,
    messages,
    trigger,
    messageId: undefined,
    abortSignal: undefined,
  });
  /** @type {ChatMessage | undefined} */
  let last;
  for await (const message of readUIMessageStream({ stream })) last = /** @type {ChatMessage} */ (message);
  if (!last) throw new Error('the route sent no message');
  return last;
}

/** @param {ChatMessage} message */
const textOf = (message) => message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');

/** @type {Record<string, ChatMessage[]>} */
const chats = { kitchen: [], garage: [] };
const turns = {
  kitchen: [
    'I want you to buy the GROCERY: [honey].',
    'Which one is the GROCERY that I want you to buy earlier?',
  ],
  garage: [
    'I want you to buy the GROCERY: [salmon].',
    'Which one is the GROCERY that I want you to buy earlier?',
  ],
};
let counter = 0;
for (let turn = 0; turn < 2; turn++) {
  for (const chatId of /** @type {const} */ (['kitchen', 'garage'])) {
    const messages = chats[chatId] ?? [];
    messages.push({
      id: `m${counter++}`,
      role: 'user',
      parts: [{ type: 'text', text: turns[chatId][turn] ?? '' }],
    });
    const reply = await send(chatId, messages, 'submit-message');
    messages.push(reply);
    console.log(
      `[${chatId}] ${JSON.stringify(textOf(reply))}  cacheRead ${reply.metadata?.cacheRead}, evaluated ${reply.metadata?.evaluated}`,
    );
  }
}
// Regenerate the kitchen's last reply: useChat drops it and sends the history that led to it.
const kitchen = chats.kitchen ?? [];
const regenerated = await send('kitchen', kitchen.slice(0, -1), 'regenerate-message');
console.log(
  `[kitchen] regenerated ${JSON.stringify(textOf(regenerated))}  cacheRead ${regenerated.metadata?.cacheRead}, evaluated ${regenerated.metadata?.evaluated}`,
);
console.log(`live sessions: ${sirllm.sessionCount}`);
await sirllm.dispose();
await backend.dispose();
