import {
  AIMessage,
  type AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import type { ChatTemplate, JsonSchema, KVBackend } from '@sirllm/core';
import {
  createReferenceBackend,
  createTinyLlama,
  jsonSchemaViolations,
  testkitChatTemplate,
} from '@sirllm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ChatSirLLM } from '../src/index.js';
import { tinyGgufModel } from './tiny-gguf-model.js';

// Random weights: only the grammar makes these replies JSON. Strings are bounded (maxLength) because a
// random model rarely closes a string on its own.
const weatherParameters: JsonSchema = {
  type: 'object',
  properties: {
    city: { type: 'string', maxLength: 6 },
    days: { type: 'integer' },
    unit: { enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city', 'days', 'unit'],
  additionalProperties: false,
};
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'The forecast for a city.', parameters: weatherParameters },
};
const timeSchema = z.object({ zone: z.enum(['UTC', 'CET', 'PST']), hour12: z.boolean() });
const timeTool = tool(async ({ zone }) => `12:00 ${zone}`, {
  name: 'get_time',
  description: 'The current time in a time zone.',
  schema: timeSchema,
});

const model = createTinyLlama({ layers: 2, seed: 21 });
const gguf = tinyGgufModel(model);
let backend: KVBackend;
beforeAll(async () => {
  backend = await gguf.open(1024);
});
afterAll(async () => {
  await backend.dispose();
  gguf.remove();
});

/** Checks one tool call against the bound tools' schemas, independently of the code under test. */
function expectValidCall(call: { name: string; args: Record<string, unknown>; id?: string; type?: string }) {
  expect(call.type).toBe('tool_call');
  expect(call.id).toMatch(/^call_[0-9a-f]{32}$/);
  if (call.name === 'get_weather') {
    const problems = jsonSchemaViolations(call.args, weatherParameters).filter(
      (problem) => !(/longer than/.test(problem) && String(call.args.city).includes('\uFFFD')),
    );
    expect(problems, JSON.stringify(call.args)).toEqual([]);
  } else {
    expect(call.name).toBe('get_time');
    expect(timeSchema.safeParse(call.args).success, JSON.stringify(call.args)).toBe(true);
  }
}

describe('ChatSirLLM tools and structured output on the llama.cpp backend', () => {
  it('bindTools with tool_choice "any": every reply is a valid tool call, over seeds and temperatures', async () => {
    const chat = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 200 });
    const bound = chat.bindTools([weatherTool, timeTool], { tool_choice: 'any' });
    for (const temperature of [0, 0.8, 1.4]) {
      for (const seed of [1, 2, 3]) {
        const reply = (await bound.invoke([new HumanMessage('Weather in Oslo?')], {
          sessionId: `any-${temperature}-${seed}`,
          temperature,
          seed,
        })) as AIMessageChunk;
        expect(reply.tool_calls, reply.text).toHaveLength(1);
        expectValidCall(reply.tool_calls![0]!);
        expect(reply.content).toBe('');
        expect(reply.usage_metadata!.output_tokens).toBeGreaterThan(5);
        expect(reply.response_metadata.finish_reason).toBe('constraint-complete');
        if (temperature === 0) break;
      }
    }
    await chat.dispose();
  });

  it('tool_choice "auto" allows a direct answer; a named tool_choice forces that tool', async () => {
    const chat = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 200 });
    const auto = chat.bindTools([weatherTool, timeTool]);
    const kinds = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      // A random model rarely closes the free-text answer string: such replies end with the typed
      // maxTokens error, whose message shows the answer the model had begun.
      const reply = await auto
        .invoke([new HumanMessage('Hi')], { sessionId: `auto-${seed}`, temperature: 1, seed })
        .catch((error: Error) => error);
      if (reply instanceof Error) {
        expect(reply.name).toBe('InvalidOptionError');
        expect(reply.message).toMatch(/raise maxTokens/);
        expect(reply.message).toMatch(/\\"response\\"/);
        kinds.add('answer');
      } else if ((reply as AIMessageChunk).tool_calls?.length) {
        kinds.add('call');
        expectValidCall((reply as AIMessageChunk).tool_calls![0]!);
      } else {
        kinds.add('answer');
      }
    }
    expect([...kinds].sort()).toEqual(['answer', 'call']);
    const forced = chat.bindTools([weatherTool, timeTool], { tool_choice: 'get_time' });
    for (const seed of [1, 2]) {
      const reply = (await forced.invoke([new HumanMessage('Hi')], {
        sessionId: `forced-${seed}`,
        temperature: 1,
        seed,
      })) as AIMessageChunk;
      expect(reply.tool_calls![0]!.name).toBe('get_time');
      expectValidCall(reply.tool_calls![0]!);
    }
    expect(() => chat.bindTools([weatherTool], { tool_choice: 'nope' })).toThrowError(/tool_choice/);
    await chat.dispose();
  });

  it('a tool result renders through the chat template and the tool call matches: nothing is re-evaluated', async () => {
    const rendered: string[] = [];
    const template: ChatTemplate = {
      name: 'recording',
      render: (messages, options) => {
        const text = testkitChatTemplate.render(messages, options);
        rendered.push(text);
        return text;
      },
    };
    const chat = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 200, chatTemplate: template });
    const bound = chat.bindTools([weatherTool], { tool_choice: 'any' });
    const history: BaseMessage[] = [new HumanMessage('Weather in Oslo?')];
    const first = (await bound.invoke(history)) as AIMessageChunk;
    const call = first.tool_calls![0]!;
    history.push(new AIMessage({ content: '', tool_calls: [call] }));
    history.push(new ToolMessage({ content: 'Sunny, 21 degrees.', tool_call_id: call.id!, name: call.name }));
    const second = (await bound.invoke(history)) as AIMessageChunk;
    const memory = second.response_metadata.sirllm as { rebuilt: boolean; evaluated_tokens: number };
    expect(memory.rebuilt).toBe(false);
    expect(second.usage_metadata!.input_token_details!.cache_read).toBeGreaterThan(
      first.usage_metadata!.input_tokens,
    );
    expect(rendered.at(-1)).toContain('<|user|>[tool] Sunny, 21 degrees.<|end|>');
    expect(rendered.at(-1)).toContain(JSON.stringify({ name: call.name, arguments: call.args }));
    expect(rendered.at(-1)).toContain('get_weather: The forecast for a city.');
    expectValidCall(second.tool_calls![0]!);
    await chat.dispose();
  });

  it('streams a tool call as one final chunk carrying the call and the usage', async () => {
    const chat = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 200 });
    const bound = chat.bindTools([timeTool], { tool_choice: 'any' });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await bound.stream([new HumanMessage('Time?')])) chunks.push(chunk);
    const withCalls = chunks.filter((chunk) => (chunk.tool_call_chunks ?? []).length > 0);
    expect(withCalls).toHaveLength(1);
    expect(withCalls[0]!.usage_metadata).toBeDefined();
    const merged = chunks.reduce((total, chunk) => total.concat(chunk));
    expect(merged.tool_calls).toHaveLength(1);
    expectValidCall(merged.tool_calls![0]!);
    await chat.dispose();
  });

  it('withStructuredOutput returns an object matching a zod or a JSON schema, with includeRaw', async () => {
    const chat = new ChatSirLLM({ backend, capacity: 1024, maxTokens: 200, temperature: 1 });
    const person = z.object({
      name: z.string().max(6),
      age: z.number().int(),
      role: z.enum(['admin', 'user']),
      tags: z.array(z.enum(['a', 'b', 'c'])).max(3),
    });
    const structured = chat.withStructuredOutput(person);
    for (const seed of [1, 2, 3]) {
      const value = await structured.invoke([new HumanMessage('Describe someone.')], {
        sessionId: `zod-${seed}`,
        seed,
      } as never);
      expect(person.safeParse(value).success, JSON.stringify(value)).toBe(true);
    }
    const pointSchema: JsonSchema = {
      title: 'point',
      type: 'object',
      properties: {
        x: { type: 'number' },
        y: { type: 'number' },
        label: { type: ['string', 'null'], maxLength: 4 },
      },
      required: ['x', 'y', 'label'],
      additionalProperties: false,
    };
    const withRaw = chat.withStructuredOutput(pointSchema, { includeRaw: true });
    const { raw, parsed } = await withRaw.invoke([new HumanMessage('A point, please.')], {
      sessionId: 'json',
    } as never);
    const problems = jsonSchemaViolations(parsed, pointSchema).filter(
      (problem) => !(/longer than/.test(problem) && String(parsed.label).includes('\uFFFD')),
    );
    expect(problems, JSON.stringify(parsed)).toEqual([]);
    expect(JSON.parse(raw.text)).toEqual(parsed);
    await chat.dispose();
  });
});

describe('ChatSirLLM tools on a backend without constrained sampling', () => {
  it('bindTools and withStructuredOutput throw CapabilityUnsupportedError naming the backend and the fix', () => {
    const chat = new ChatSirLLM({ backend: createReferenceBackend({ model }), capacity: 64 });
    for (const attempt of [
      () => chat.bindTools([weatherTool]),
      () => chat.withStructuredOutput(z.object({ a: z.string() })),
    ]) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect((caught as Error).name).toBe('CapabilityUnsupportedError');
      expect((caught as Error).message).toMatch(/Backend ".*" does not support .*grammar-constrained JSON/);
      expect((caught as Error).message).toMatch(/@sirllm\/llamacpp/);
    }
    expect(chat.bindTools([])).toBeDefined(); // createAgent binds no tools for tool-less agents
  });
});
