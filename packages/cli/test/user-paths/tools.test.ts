import { type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { CapabilityUnsupportedError } from '@sirllm/core';
import { ChatSirLLM } from '@sirllm/langchain';
import { describe, expect, it } from 'vitest';
import { groceryList, timeParameters, violations, weatherParameters } from './reply-schemas.js';
import { openForSuite, userPathBackends } from './user-path-backends.js';

// User path 3: tool calling (bindTools) and structured output (withStructuredOutput). llama.cpp
// constrains sampling with a grammar compiled from the JSON schema; the other backends refuse with
// CapabilityUnsupportedError rather than return unparsable text.

const tools = [
  {
    type: 'function' as const,
    function: { name: 'get_weather', description: 'The forecast for a city.', parameters: weatherParameters },
  },
  {
    type: 'function' as const,
    function: { name: 'get_time', description: 'The time in a time zone.', parameters: timeParameters },
  },
];
const question = [new HumanMessage('I want you to buy the GROCERY: [cheese]. What is the weather in Oslo?')];

for (const factory of userPathBackends({ library: 'llamacpp' })) {
  describe(`tools and structured output on ${factory.name} (grammar-constrained)`, () => {
    const use = openForSuite(factory);

    it('bindTools with tool_choice "any" replies with one valid tool call; a named tool_choice forces that tool', async () => {
      const chat = new ChatSirLLM({ backend: use().backend, capacity: 512, maxTokens: 200 });
      const any = (await chat
        .bindTools(tools, { tool_choice: 'any' })
        .invoke(question, { sessionId: 'any' })) as AIMessageChunk;
      expect(any.tool_calls, any.text).toHaveLength(1);
      const [call] = any.tool_calls ?? [];
      expect(call?.type).toBe('tool_call');
      expect(call?.id).toMatch(/^call_[0-9a-f]{32}$/);
      expect(['get_weather', 'get_time']).toContain(call?.name);
      const schema = call?.name === 'get_weather' ? weatherParameters : timeParameters;
      expect(violations(call?.args, schema), JSON.stringify(call?.args)).toEqual([]);
      expect(any.content).toBe('');
      expect(any.response_metadata.finish_reason).toBe('constraint-complete');

      const forced = (await chat
        .bindTools(tools, { tool_choice: 'get_time' })
        .invoke(question, { sessionId: 'forced' })) as AIMessageChunk;
      expect(forced.tool_calls?.map((each) => each.name)).toEqual(['get_time']);
      expect(violations(forced.tool_calls?.[0]?.args, timeParameters)).toEqual([]);
      await chat.dispose();
    });

    it('withStructuredOutput returns an object of the schema, parsed from the raw reply', async () => {
      const chat = new ChatSirLLM({ backend: use().backend, capacity: 512, maxTokens: 200 });
      const structured = chat.withStructuredOutput(groceryList, { name: 'grocery_list', includeRaw: true });
      const { raw, parsed } = await structured.invoke(question, {
        configurable: { sessionId: 'structured' },
      });
      expect(violations(parsed, groceryList), JSON.stringify(parsed)).toEqual([]);
      expect(JSON.parse(String(raw.content))).toEqual(parsed);
      const metadata = raw.response_metadata as { finish_reason: string; sirllm: { session_id: string } };
      expect(metadata.finish_reason).toBe('constraint-complete');
      expect(metadata.sirllm.session_id).toBe('structured');
      await chat.dispose();
      // Sampled instead of greedy: the same schema, the same guarantee.
      const sampled = new ChatSirLLM({
        backend: use().backend,
        capacity: 512,
        maxTokens: 200,
        temperature: 0.9,
        seed: 7,
      });
      const plain = await sampled.withStructuredOutput(groceryList).invoke(question);
      expect(violations(plain, groceryList), JSON.stringify(plain)).toEqual([]);
      await sampled.dispose();
    });
  });
}

for (const factory of userPathBackends().filter((each) => each.library !== 'llamacpp')) {
  describe(`tools and structured output on ${factory.name} (no constrained sampling)`, () => {
    const use = openForSuite(factory);

    it('bindTools and withStructuredOutput throw CapabilityUnsupportedError naming the backend; plain chat still works', async () => {
      const { backend } = use();
      const chat = new ChatSirLLM({ backend, capacity: 256, maxTokens: 4 });
      for (const attempt of [() => chat.bindTools(tools), () => chat.withStructuredOutput(groceryList)]) {
        let error: unknown;
        try {
          attempt();
        } catch (caught) {
          error = caught;
        }
        expect(CapabilityUnsupportedError.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toContain(backend.info.name);
        expect((error as Error).message).toMatch(/llama\.cpp/);
      }
      // No tools: the model itself, which answers as before.
      const reply = (await chat.bindTools([]).invoke(question, { sessionId: 'plain' })) as AIMessageChunk;
      expect(reply.tool_calls ?? []).toEqual([]);
      expect(reply.usage_metadata?.output_tokens).toBeGreaterThan(0);
      await chat.dispose();
    });
  });
}
