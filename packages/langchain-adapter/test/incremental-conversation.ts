import {
  AIMessage,
  type AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
} from '@langchain/core/messages';
import { type KVBackend, MemorySession, sirllm } from '@sirllm/core';
import { expect } from 'vitest';
import { ChatSirLLM } from '../src/index.js';
import { countingBackend } from './counting-backend.js';

const question = (turn: number) => `Question ${turn}: what is ${turn} plus ${turn * 3}?`;

/**
 * Drives `turns` turns through ChatSirLLM with the whole history each time, and the same turns through a
 * `MemorySession` directly (prompts written by hand in the testkit chat format), and checks that every
 * turn evaluates only the new message, the reply and the closing token, that `cache_read` counts the
 * rest, that the cache stays within capacity, and that the replies are the same.
 */
export async function expectIncrementalConversation({
  chatBackend,
  directBackend,
  turns,
  capacity,
}: {
  chatBackend: KVBackend;
  directBackend: KVBackend;
  turns: number;
  capacity: number;
}): Promise<void> {
  const { backend, evaluated, maximumLength } = countingBackend(chatBackend);
  const chatModel = new ChatSirLLM({ backend, capacity, maxTokens: 6, policy: () => sirllm({ decay: 0.8 }) });
  const direct = await MemorySession.create({
    backend: directBackend,
    capacity,
    policy: sirllm({ decay: 0.8 }),
  });
  const history: BaseMessage[] = [new SystemMessage('You are terse.')];
  let everEvicted = false;
  // Templates may close an assistant reply at once (the testkit format) or leave the last reply open
  // until the next message arrives (node-llama-cpp's renderer): then its closing is fed with the next turn.
  const closesAtOnce = chatBackend
    .chatTemplate!.render(
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      { addGenerationPrompt: false },
    )
    .endsWith('<|end|>');
  const closing = directBackend.tokenize('<|end|>', { special: true });
  for (let turn = 0; turn < turns; turn++) {
    history.push(new HumanMessage(question(turn)));
    const before = evaluated();
    const reply = (await chatModel.invoke(history)) as AIMessageChunk;
    const prompt = `${turn === 0 ? '<s>You are terse.\n' : ''}<|user|>${question(turn)}<|end|><|assistant|>`;
    const deferred = !closesAtOnce && turn > 0 ? closing : [];
    const promptTokens = [...deferred, ...directBackend.tokenize(prompt, { special: true })];
    await direct.beginTurn({ incoming: promptTokens.length });
    await direct.ingest(promptTokens);
    const expected = await direct.generate({ maxTokens: 6 });
    if (closesAtOnce) await direct.ingest(closing, { role: 'assistant' });
    const closed = closesAtOnce ? closing : [];

    expect(reply.content, `turn ${turn}`).toBe(expected.text);
    const usage = reply.usage_metadata!;
    expect(evaluated() - before, `turn ${turn}`).toBe(
      promptTokens.length + expected.tokens.length + closed.length,
    );
    expect(usage.output_tokens).toBe(expected.tokens.length);
    expect(usage.input_tokens).toBe(usage.input_token_details!.cache_read! + promptTokens.length);
    expect(usage.input_token_details!.cache_read).toBe(
      direct.transcript.length - promptTokens.length - expected.tokens.length - closed.length,
    );
    const memory = reply.response_metadata.sirllm as { resident: number; evicted: number; rebuilt: boolean };
    expect(memory.rebuilt).toBe(false);
    expect(memory.resident).toBeLessThanOrEqual(capacity);
    everEvicted ||= memory.evicted > 0;
    history.push(new AIMessage(reply.text));
  }
  expect(everEvicted).toBe(true);
  expect(maximumLength()).toBeLessThanOrEqual(capacity);
  await chatModel.dispose();
  await direct.dispose();
}
