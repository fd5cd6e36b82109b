import { MemorySaver } from '@langchain/langgraph';
import type { KVBackend } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { createAgent } from 'langchain';
import { afterAll, describe, expect, it } from 'vitest';
import { sirllmMiddleware } from '../src/agent/index.js';
import { ChatSirLLM } from '../src/index.js';
import { tinyGgufModel } from './tiny-gguf-model.js';

const model = createTinyLlama({ layers: 1, seed: 31 });
const gguf = tinyGgufModel(model);
afterAll(() => gguf.remove());

const backends: [string, () => Promise<KVBackend>][] = [
  ['the reference backend', async () => createReferenceBackend({ model })],
  ['the llama.cpp backend', () => gguf.open(256)],
];

describe.each(backends)('createAgent with a checkpointer, on %s', (_name, open) => {
  it('keeps one independent, incremental memory per thread', async () => {
    const chatModel = new ChatSirLLM({
      backend: await open(),
      capacity: 256,
      maxTokens: 5,
    });
    const agent = createAgent({
      model: chatModel,
      tools: [],
      middleware: [sirllmMiddleware()],
      checkpointer: new MemorySaver(),
    });
    const threads = ['alpha', 'beta', 'gamma'];
    const replies: Record<string, string[]> = { alpha: [], beta: [], gamma: [] };
    for (let turn = 0; turn < 3; turn++) {
      for (const thread of threads) {
        const state = await agent.invoke(
          { messages: [{ role: 'user', content: `${thread} turn ${turn}` }] },
          { configurable: { thread_id: thread } },
        );
        const last = state.messages.at(-1)!;
        const memory = (last.response_metadata as Record<string, unknown>).sirllm as {
          session_id: string;
          rebuilt: boolean;
        };
        expect(memory.session_id).toBe(thread);
        expect(memory.rebuilt).toBe(false);
        const cacheRead = (last as { usage_metadata?: { input_token_details?: { cache_read?: number } } })
          .usage_metadata?.input_token_details?.cache_read;
        if (turn === 0) expect(cacheRead).toBe(0);
        else expect(cacheRead).toBeGreaterThan(0);
        replies[thread]!.push(last.text);
      }
    }
    expect(chatModel.sessionCount).toBe(3);
    // The same thread alone, through the same agent setup, gives the same replies.
    const solo = new ChatSirLLM({ backend: await open(), capacity: 256, maxTokens: 5 });
    const soloAgent = createAgent({
      model: solo,
      tools: [],
      middleware: [sirllmMiddleware()],
      checkpointer: new MemorySaver(),
    });
    for (let turn = 0; turn < 3; turn++) {
      const state = await soloAgent.invoke(
        { messages: [{ role: 'user', content: `beta turn ${turn}` }] },
        { configurable: { thread_id: 'beta' } },
      );
      expect(state.messages.at(-1)!.text).toBe(replies.beta![turn]);
    }
  });
});
