import { type AIMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { createAgent, createMiddleware } from 'langchain';
import { afterAll, expect, it } from 'vitest';
import * as z from 'zod';
import { ChatSirLLM } from '../src/index.js';
import { tinyGgufModel } from './tiny-gguf-model.js';

const gguf = tinyGgufModel();
afterAll(() => gguf.remove());

it('createAgent with a tool on the llama.cpp backend: call, tool result, answer, one incremental session', async () => {
  const backend = await gguf.open(1024);
  const zoneSchema = z.object({ zone: z.enum(['UTC', 'CET', 'PST']) });
  const received: unknown[] = [];
  const getTime = tool(
    async (args) => {
      received.push(args);
      return `It is 12:00 in ${args.zone}.`;
    },
    { name: 'get_time', description: 'The current time in a time zone.', schema: zoneSchema },
  );
  // A random-weight model would call tools forever under `auto`: require a call first, then ask for
  // the answer in text. The instructions stay the same for both choices, so the cache is reused.
  const toolThenAnswer = createMiddleware({
    name: 'toolThenAnswer',
    wrapModelCall: (request, handler) =>
      handler({
        ...request,
        toolChoice: request.messages.some((message) => ToolMessage.isInstance(message)) ? 'none' : 'required',
      }),
  });
  for (const seed of [1, 2, 3]) {
    received.length = 0;
    const agent = createAgent({
      model: new ChatSirLLM({ backend, capacity: 1024, maxTokens: 80, temperature: 1, seed }),
      tools: [getTime],
      middleware: [toolThenAnswer],
      checkpointer: new MemorySaver(),
    });
    const state = await agent.invoke(
      { messages: [{ role: 'user', content: 'What time is it?' }] },
      { configurable: { thread_id: `thread-${seed}` }, recursionLimit: 10 },
    );
    expect(state.messages.map((message) => message.getType())).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(received).toHaveLength(1);
    expect(zoneSchema.safeParse(received[0]).success).toBe(true);
    const call = state.messages[1] as AIMessage;
    expect(call.tool_calls?.[0]?.name).toBe('get_time');
    expect((state.messages[2] as ToolMessage).tool_call_id).toBe(call.tool_calls?.[0]?.id);
    const answer = state.messages[3] as AIMessage;
    expect(answer.tool_calls ?? []).toHaveLength(0);
    const memory = answer.response_metadata.sirllm as { rebuilt: boolean; evaluated_tokens: number };
    // The second model call matched the whole history (system + tools, question, its own tool call)
    // and evaluated only the tool result and the reply prompt.
    expect(memory.rebuilt).toBe(false);
    expect(memory.evaluated_tokens).toBeLessThan(40);
    expect(answer.usage_metadata?.input_token_details?.cache_read).toBeGreaterThan(200);
  }
  await backend.dispose();
});
