import { createSirLLM } from '@sirllm/ai-sdk';
import {
  generateObject,
  generateText,
  isStepCount,
  jsonSchema,
  type ModelMessage,
  Output,
  streamText,
  tool,
  UnsupportedFunctionalityError,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { lifecycleProblems, readAll } from '../../../ai-sdk/test/stream-lifecycle.js';
import { aiSdkSupported } from '../../../ai-sdk/test/supported-runtime.js';
import { type ExpectedTurn, expectedChat } from './expected-replies.js';
import { groceryList, timeParameters, violations } from './reply-schemas.js';
import { type OpenedBackend, openForSuite, userPathBackends } from './user-path-backends.js';

// User path 4: the Vercel AI SDK provider (@sirllm/ai-sdk) through the SDK's own entry points —
// generateText, streamText (textStream and fullStream), Output.object / generateObject, a multi-step tool
// loop — on every backend. Each conversation's KV session must carry over from call to call: the usage
// the SDK reports is checked against the turns computed without the provider (expected-replies.ts).
// `ai` 7 needs Node >= 22: skipped under Node 20 (CI runs it on Node 24, Bun and Deno).

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

function conversationFor(opened: OpenedBackend): { turns: string[]; maxTokens: number } {
  if (opened.model === 'testkit') {
    return {
      turns: [
        'Tell me about the weather in spring.',
        'And in autumn?',
        'What should I plant first?',
        'How often should I water it?',
      ],
      maxTokens: 8,
    };
  }
  return {
    turns: [
      'I want you to buy the GROCERY: [cheese]. ',
      'Where would you find a lot of books? Choices:  (A) pool (B) library (C) stadium (D) forest (E) beach ',
      'What do you use to cut paper? Choices:  (A) spoon (B) scissors (C) pillow (D) bucket (E) candle ',
      'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) tea (B) eggs (C) cheese (D) rice ',
    ],
    maxTokens: 12,
  };
}

interface Turn {
  text: string;
  usage: {
    inputTokens?: number;
    outputTokens?: number;
    inputTokenDetails: { cacheReadTokens?: number; noCacheTokens?: number };
  };
  providerMetadata?: Record<string, unknown>;
}

function expectTurn(turn: Turn, expected: ExpectedTurn, context: string): void {
  expect(turn.text, context).toBe(expected.reply);
  expect(turn.usage.inputTokenDetails.cacheReadTokens, context).toBe(expected.cacheRead);
  expect(turn.usage.inputTokenDetails.noCacheTokens, context).toBe(expected.evaluated);
  expect(turn.usage.inputTokens, context).toBe(expected.cacheRead + expected.evaluated);
  expect(turn.usage.outputTokens, context).toBe(expected.replyTokens.length);
  expect(turn.providerMetadata?.sirllm, context).toMatchObject({ rebuilt: false, evicted: 0 });
}

for (const factory of userPathBackends()) {
  describe.skipIf(!aiSdkSupported)(`AI SDK provider on ${factory.name}`, () => {
    const use = openForSuite(factory);

    it('generateText and streamText alternate on one session id: only the new message is evaluated each call', async () => {
      const opened = use();
      const { turns, maxTokens } = conversationFor(opened);
      const expected = await expectedChat(opened, turns, maxTokens);
      const sirllm = createSirLLM({ backend: opened.backend, capacity: 512, maxOutputTokens: maxTokens });
      const messages: ModelMessage[] = [];
      const replies: string[] = [];
      for (const [index, input] of turns.entries()) {
        messages.push({ role: 'user', content: input });
        const call = { model: sirllm(), messages, providerOptions: { sirllm: { sessionId: 'alice' } } };
        let turn: Turn;
        if (index % 2 === 0) {
          turn = await generateText(call);
        } else {
          const streamed = streamText(call);
          const deltas: string[] = [];
          for await (const delta of streamed.textStream) deltas.push(delta);
          turn = {
            text: deltas.join(''),
            usage: await streamed.usage,
            providerMetadata: (await streamed.providerMetadata) as Record<string, unknown>,
          };
        }
        expectTurn(turn, expected[index] as ExpectedTurn, `turn ${index + 1}`);
        replies.push(turn.text);
        messages.push({ role: 'assistant', content: turn.text });
      }
      if (opened.model === 'bundled') {
        // The trained model: "OK" to the request, and the grocery when asked for it three turns later.
        expect(replies[0]).toBe('OK');
        expect(replies[3]).toBe('cheese');
      }
      // fullStream of one more call on a fresh session: the SDK's part order.
      const full = streamText({
        model: sirllm(),
        prompt: turns[0] as string,
        providerOptions: { sirllm: { sessionId: 'bob' } },
      });
      const types: string[] = [];
      for await (const part of full.fullStream) types.push(part.type);
      expect(types.filter((type, index) => type !== types[index - 1])).toEqual([
        'start',
        'start-step',
        'text-start',
        'text-delta',
        'text-end',
        'finish-step',
        'finish',
      ]);
      expect(sirllm.sessionCount).toBe(2);
      await sirllm.dispose();
    });

    if (factory.library !== 'llamacpp') {
      it('tools and Output.object throw UnsupportedFunctionalityError naming the backend', async () => {
        const { backend } = use();
        const sirllm = createSirLLM({ backend, capacity: 256, maxOutputTokens: 4 });
        const errors = await Promise.all([
          generateText({
            model: sirllm(),
            prompt: 'Hi',
            tools: { time: tool({ inputSchema: jsonSchema(timeParameters) }) },
          }).catch((error: unknown) => error),
          generateText({
            model: sirllm(),
            prompt: 'Hi',
            output: Output.object({ schema: jsonSchema(groceryList) }),
          }).catch((error: unknown) => error),
        ]);
        for (const error of errors) {
          expect(UnsupportedFunctionalityError.isInstance(error), String(error)).toBe(true);
          expect((error as Error).message).toContain(backend.info.name);
        }
      });
    }
  });
}

for (const factory of userPathBackends({ library: 'llamacpp' })) {
  describe.skipIf(!aiSdkSupported)(
    `AI SDK tools and JSON output on ${factory.name} (grammar-constrained)`,
    () => {
      const use = openForSuite(factory);
      const question = 'I want you to buy the GROCERY: [cheese]. What time is it in Oslo?';

      it('a two-step tool loop: the call is valid, the tool runs, the second step evaluates only the tool result', async () => {
        const sirllm = createSirLLM({ backend: use().backend, capacity: 1024, maxOutputTokens: 80 });
        const received: unknown[] = [];
        const getTime = tool({
          description: 'The current time in a time zone.',
          inputSchema: jsonSchema<{ zone: string; hour12: boolean }>(timeParameters),
          execute: async (input) => {
            received.push(input);
            return `It is 12:00 in ${input.zone}.`;
          },
        });
        const result = await generateText({
          model: sirllm(),
          prompt: question,
          tools: { get_time: getTime },
          // A random-weight model would call tools forever under `auto`: require a call, then text.
          prepareStep: ({ stepNumber }) => ({ toolChoice: stepNumber === 0 ? 'required' : 'none' }),
          stopWhen: isStepCount(2),
          providerOptions: { sirllm: { sessionId: 'tools' } },
        });
        expect(result.steps).toHaveLength(2);
        const [first, second] = result.steps;
        expect(first?.finishReason).toBe('tool-calls');
        expect(first?.toolCalls.map((call) => call.toolName)).toEqual(['get_time']);
        expect(first?.toolCalls[0]?.toolCallId).toMatch(/^call_[0-9a-f]{32}$/);
        expect(received).toHaveLength(1);
        expect(violations(received[0], timeParameters), JSON.stringify(received[0])).toEqual([]);
        // Step 2 matched the whole history (instructions, question, its own tool call): it evaluated the
        // tool result and the reply's opening only.
        const memory = second?.providerMetadata?.sirllm as { rebuilt: boolean; sessionId: string };
        expect(memory).toMatchObject({ rebuilt: false, sessionId: 'tools' });
        expect(second?.usage.inputTokenDetails.noCacheTokens).toBeLessThan(40);
        // What it read is step 1's prompt, its reply as generated, and the template's closing of the reply.
        const stepOne = (first?.usage.inputTokens ?? 0) + (first?.usage.outputTokens ?? 0);
        expect(second?.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThanOrEqual(stepOne);
        expect(second?.usage.inputTokenDetails.cacheReadTokens).toBeLessThanOrEqual(stepOne + 8);
        await sirllm.dispose();
      });

      it('a streamed tool call: fullStream carries the tool-input block and the call; the raw stream keeps the lifecycle', async () => {
        const sirllm = createSirLLM({ backend: use().backend, capacity: 512, maxOutputTokens: 80 });
        const streamed = streamText({
          model: sirllm(),
          prompt: question,
          tools: { get_time: tool({ inputSchema: jsonSchema(timeParameters) }) },
          toolChoice: 'required',
        });
        const types: string[] = [];
        for await (const part of streamed.fullStream) types.push(part.type);
        const toolParts = types.filter((type) => type.startsWith('tool-'));
        expect(toolParts).toEqual(['tool-input-start', 'tool-input-delta', 'tool-input-end', 'tool-call']);
        expect(await streamed.finishReason).toBe('tool-calls');
        const [call] = await streamed.toolCalls;
        expect(violations(call?.input, timeParameters), JSON.stringify(call?.input)).toEqual([]);

        const raw = await sirllm().doStream({
          prompt: [{ role: 'user', content: [{ type: 'text', text: question }] }],
          tools: [
            { type: 'function', name: 'get_time', inputSchema: timeParameters as Record<string, unknown> },
          ],
          toolChoice: { type: 'required' },
        });
        const parts = await readAll(raw.stream);
        expect(lifecycleProblems(parts)).toEqual([]);
        expect(parts.map((part) => part.type)).toEqual([
          'stream-start',
          'response-metadata',
          'tool-input-start',
          'tool-input-delta',
          'tool-input-end',
          'tool-call',
          'finish',
        ]);
        const finish = parts.at(-1);
        expect(finish?.type === 'finish' && finish.finishReason).toEqual({
          unified: 'tool-calls',
          raw: 'constraint-complete',
        });
        await sirllm.dispose();
      });

      it('Output.object and generateObject return an object of the schema; streamText streams the same JSON', async () => {
        const sirllm = createSirLLM({ backend: use().backend, capacity: 512, maxOutputTokens: 200 });
        const schema = jsonSchema<Record<string, unknown>>(groceryList);
        const generated = await generateText({
          model: sirllm(),
          prompt: question,
          output: Output.object({ schema, name: 'grocery_list' }),
          providerOptions: { sirllm: { sessionId: 'generated' } },
        });
        expect(violations(generated.output, groceryList), generated.text).toEqual([]);
        expect(generated.finishReason).toBe('stop');
        const object = await generateObject({
          model: sirllm(),
          prompt: question,
          schema,
          schemaName: 'grocery_list',
          providerOptions: { sirllm: { sessionId: 'object' } },
        });
        expect(object.object).toEqual(generated.output);
        const streamed = streamText({
          model: sirllm(),
          prompt: question,
          output: Output.object({ schema, name: 'grocery_list' }),
          providerOptions: { sirllm: { sessionId: 'streamed' } },
        });
        const deltas: string[] = [];
        for await (const delta of streamed.textStream) deltas.push(delta);
        expect(deltas.join('')).toBe(generated.text);
        expect(await streamed.output).toEqual(generated.output);
        await sirllm.dispose();
      });
    },
  );
}
