import { type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ChatSirLLM, type ChatSirLLMCallOptions } from '../src/index.js';
import { type LlamaCppTestBackend, tinyGgufModel } from './tiny-gguf-model.js';

const gguf = tinyGgufModel();
let backend: LlamaCppTestBackend;
beforeAll(async () => {
  backend = await gguf.open(512);
});
afterAll(async () => {
  await backend.dispose();
  gguf.remove();
});

const switchTool = {
  type: 'function' as const,
  function: {
    name: 'set_switch',
    description: 'Turns the switch on or off.',
    parameters: { type: 'object', properties: { on: { type: 'boolean' } }, required: ['on'] },
  },
};

it('a tool call, whose chunk has no text, still reaches streaming callbacks (on_chat_model_stream)', async () => {
  const chat = new ChatSirLLM({ backend, capacity: 512, maxTokens: 60 });
  const bound = chat.bindTools([switchTool], { tool_choice: 'any' });
  // Nested in a chain: there LangChain's stream events come only from handleLLMNewToken.
  const chain = RunnableLambda.from(async (input: string, config) =>
    bound.invoke([new HumanMessage(input)], config as Partial<ChatSirLLMCallOptions>),
  );
  const streamed: AIMessageChunk[] = [];
  let ended = false;
  for await (const event of chain.streamEvents('Switch it on.', { version: 'v2' })) {
    if (event.event === 'on_chat_model_stream') streamed.push(event.data.chunk as AIMessageChunk);
    if (event.event === 'on_chat_model_end') ended = true;
  }
  expect(ended).toBe(true);
  const calls = streamed.flatMap((chunk) => chunk.tool_call_chunks ?? []);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.name).toBe('set_switch');
  expect(streamed.some((chunk) => chunk.usage_metadata !== undefined)).toBe(true);
  await chat.dispose();
});
