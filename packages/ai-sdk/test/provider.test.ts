import { InvalidArgumentError, NoSuchModelError, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { generateText, jsonSchema, type ModelMessage, Output, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { createSirLLM } from '../src/index.js';
import { lifecycleProblems, readAll } from './stream-lifecycle.js';
import { aiSdkSupported } from './supported-runtime.js';

// The provider on the float64 reference backend (a tiny random Llama, greedy): the AI SDK's own entry
// points, the usage it reports against token counts computed from the chat template, and what a
// stateless call (the whole history evaluated afresh) gives for the same history.

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
const model = createTinyLlama({ layers: 1, seed: 21 });
const question = (turn: number) => `Question ${turn}: what is ${turn} plus ${turn * 3}?`;

function provider(options: { capacity?: number; maxOutputTokens?: number } = {}) {
  const backend = createReferenceBackend({ model });
  return {
    backend,
    sirllm: createSirLLM({
      backend,
      capacity: options.capacity ?? 1024,
      maxOutputTokens: options.maxOutputTokens ?? 6,
    }),
  };
}

/**
 * Tokens the template puts after a reply (its end-of-turn closing), from the template itself: what a
 * session holds after a turn is the prompt, the reply's tokens as generated, and this closing.
 */
function closingTokens(backend: ReturnType<typeof createReferenceBackend>, messages: ModelMessage[]): number {
  const plain = messages.map((message) => ({
    role: message.role as 'user' | 'assistant',
    content: typeof message.content === 'string' ? message.content : '',
  }));
  const template = backend.chatTemplate;
  if (!template) throw new Error('the reference backend has a chat template');
  const prompt = template.render(plain.slice(0, -1), { addGenerationPrompt: true });
  const closed = template.render(plain, { addGenerationPrompt: false });
  const reply = plain.at(-1)?.content ?? '';
  return backend.tokenize(closed.slice(prompt.length + reply.length), { special: true }).length;
}

const session = (sessionId: string) => ({ sirllm: { sessionId } });

describe.skipIf(!aiSdkSupported)('createSirLLM: the provider', () => {
  it('is a ProviderV4 whose function and languageModel give V4 models; other kinds and bad options are refused', () => {
    const { sirllm, backend } = provider();
    expect(sirllm.specificationVersion).toBe('v4');
    const model = sirllm();
    expect(model.specificationVersion).toBe('v4');
    expect(model.provider).toBe('sirllm.chat');
    expect(model.modelId).toBe(backend.info.name);
    expect(sirllm.languageModel('my-model').modelId).toBe('my-model');
    expect(() => sirllm.embeddingModel('x')).toThrow(NoSuchModelError);
    expect(() => sirllm.imageModel('x')).toThrow(NoSuchModelError);
    // biome-ignore lint/suspicious/noExplicitAny: calling the provider with `new`, as a user might
    expect(() => new (sirllm as any)('x')).toThrow(/without `new`/);
    expect(() => sirllm('x', { sessionId: '' })).toThrow(InvalidArgumentError);
    expect(() => createSirLLM({ backend, capacity: 0 })).toThrow(InvalidOptionError);
    expect(() => createSirLLM({ backend, capacity: 64, maxOutputTokens: -1 })).toThrow(InvalidOptionError);
  });

  it('validates providerOptions.sirllm with the SDK: a misspelt key or an empty id is an InvalidArgumentError', async () => {
    const { sirllm } = provider();
    for (const options of [{ sessionID: 'a' }, { sessionId: '' }, { sessionId: 7 }]) {
      const attempt = generateText({ model: sirllm(), prompt: 'Hi', providerOptions: { sirllm: options } });
      await expect(attempt).rejects.toSatisfy((error) => InvalidArgumentError.isInstance(error));
    }
    expect(sirllm.sessionCount).toBe(0);
  });
});

describe.skipIf(!aiSdkSupported)('generateText and streamText with a session id', () => {
  it('each call evaluates only the new message: cacheRead is the conversation so far, the reply is the stateless one', async () => {
    const { sirllm, backend } = provider();
    const stateless = provider().sirllm;
    const messages: ModelMessage[] = [];
    let previous = 0;
    for (let turn = 0; turn < 4; turn++) {
      messages.push({ role: 'user', content: question(turn) });
      const result = await generateText({ model: sirllm(), messages, providerOptions: session('alice') });
      const fresh = await generateText({ model: stateless(), messages });
      // The stateless call re-tokenizes earlier replies; a random model's bytes need not survive that
      // (U+FFFD), so replies are compared on the first turn only (the user-path matrix compares every
      // turn with the reference forward pass).
      if (turn === 0) expect(result.text).toBe(fresh.text);
      const { usage } = result;
      expect(usage.inputTokenDetails.cacheReadTokens).toBe(previous);
      if (turn > 0) expect(previous).toBeGreaterThan(0);
      expect(usage.inputTokenDetails.noCacheTokens).toBe((usage.inputTokens ?? 0) - previous);
      expect(fresh.usage.inputTokenDetails.cacheReadTokens).toBe(0);
      expect(result.providerMetadata?.sirllm).toMatchObject({
        sessionId: 'alice',
        rebuilt: false,
        turns: turn + 1,
      });
      expect(fresh.providerMetadata?.sirllm).toMatchObject({ sessionId: null, turns: 1 });
      messages.push({ role: 'assistant', content: result.text });
      previous = (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) + closingTokens(backend, messages);
    }
    expect(sirllm.sessionCount).toBe(1);
    expect(stateless.sessionCount).toBe(0);
  });

  it('streamText: textStream joins to the generated text; fullStream and the raw stream keep the part lifecycle', async () => {
    const { sirllm } = provider({ maxOutputTokens: 8 });
    const prompt = question(1);
    const generated = await generateText({ model: sirllm(), prompt, providerOptions: session('generated') });
    const streamed = streamText({ model: sirllm(), prompt, providerOptions: session('streamed') });
    const deltas: string[] = [];
    for await (const delta of streamed.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(generated.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect((await streamed.usage).inputTokens).toBe(generated.usage.inputTokens);
    expect(await streamed.finishReason).toBe(generated.finishReason);

    const full = streamText({ model: sirllm(), prompt, providerOptions: session('full') });
    const types: string[] = [];
    for await (const part of full.fullStream) types.push(part.type);
    const compact = types.filter((type, index) => type !== types[index - 1]);
    expect(compact).toEqual([
      'start',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
    ]);

    const raw = await sirllm().doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    });
    const parts = await readAll(raw.stream);
    expect(lifecycleProblems(parts)).toEqual([]);
    expect(parts.slice(0, 3).map((part) => part.type)).toEqual([
      'stream-start',
      'response-metadata',
      'text-start',
    ]);
    const finish = parts.at(-1);
    expect(finish?.type === 'finish' && finish.finishReason).toEqual({
      unified: 'length',
      raw: 'max-tokens',
    });
  });

  it('without a session id every call gets a fresh session, never a shared default', async () => {
    const { sirllm } = provider();
    const first = await generateText({ model: sirllm(), prompt: question(1) });
    const again = await generateText({
      model: sirllm(),
      messages: [
        { role: 'user', content: question(1) },
        { role: 'assistant', content: first.text },
        { role: 'user', content: question(2) },
      ],
    });
    expect(again.usage.inputTokenDetails.cacheReadTokens).toBe(0);
    expect(again.providerMetadata?.sirllm).toMatchObject({ sessionId: null, turns: 1, rebuilt: false });
    expect(sirllm.sessionCount).toBe(0);
    // A model-level session id makes every call of that model continue one conversation.
    const pinned = sirllm(undefined, { sessionId: 'pinned' });
    await generateText({ model: pinned, prompt: question(1) });
    expect(sirllm.sessionCount).toBe(1);
  });

  it('regenerating the last reply (the same history again) rolls the session back to before it', async () => {
    const { sirllm } = provider();
    const messages: ModelMessage[] = [{ role: 'user', content: question(1) }];
    const first = await generateText({ model: sirllm(), messages, providerOptions: session('chat') });
    messages.push({ role: 'assistant', content: first.text }, { role: 'user', content: question(2) });
    const reply = await generateText({ model: sirllm(), messages, providerOptions: session('chat') });
    const regenerated = await generateText({ model: sirllm(), messages, providerOptions: session('chat') });
    expect(regenerated.text).toBe(reply.text);
    // The reply is rewound, the question stays: only the opening of the reply is evaluated again, and
    // the regenerated reply continues the question's turn (scores are not decayed twice).
    expect(regenerated.providerMetadata?.sirllm).toMatchObject({ rebuilt: true, turns: 2 });
    expect(regenerated.usage.inputTokens).toBe(reply.usage.inputTokens);
    expect(regenerated.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThan(
      reply.usage.inputTokenDetails.cacheReadTokens ?? 0,
    );
  });

  it('an aborted stream leaves the session as it was: the retry gives the reply of a clean call', async () => {
    const { sirllm } = provider({ maxOutputTokens: 8 });
    const { sirllm: clean } = provider({ maxOutputTokens: 8 });
    const opening: ModelMessage[] = [{ role: 'user', content: question(1) }];
    const first = await generateText({
      model: sirllm(),
      messages: opening,
      providerOptions: session('chat'),
    });
    await generateText({ model: clean(), messages: opening, providerOptions: session('chat') });
    const messages: ModelMessage[] = [
      ...opening,
      { role: 'assistant', content: first.text },
      { role: 'user', content: question(2) },
    ];
    const expected = await generateText({ model: clean(), messages, providerOptions: session('chat') });

    const controller = new AbortController();
    const aborted = streamText({
      model: sirllm(),
      messages,
      abortSignal: controller.signal,
      providerOptions: session('chat'),
    });
    const seen: string[] = [];
    for await (const part of aborted.fullStream) {
      seen.push(part.type);
      if (part.type === 'text-delta') controller.abort();
    }
    expect(seen).toContain('abort');
    expect(seen).not.toContain('finish');
    const retried = await generateText({ model: sirllm(), messages, providerOptions: session('chat') });
    expect(retried.text).toBe(expected.text);
    expect(retried.usage.inputTokenDetails).toEqual(expected.usage.inputTokenDetails);
    expect(retried.providerMetadata?.sirllm).toEqual(expected.providerMetadata?.sirllm);
  });

  it('providerOptions.sirllm.requestId: a retry of a call that already took effect gets the recorded reply', async () => {
    const { sirllm } = provider();
    const call = {
      model: sirllm(),
      prompt: question(1),
      providerOptions: { sirllm: { sessionId: 'r', requestId: 'call-1' } },
    };
    const first = await generateText(call);
    const retried = await generateText(call);
    expect(retried.text).toBe(first.text);
    expect(retried.providerMetadata?.sirllm).toEqual({ ...first.providerMetadata?.sirllm, replayed: true });
    expect(first.providerMetadata?.sirllm).toMatchObject({ replayed: false, turns: 1 });
    // Streamed, the replayed reply arrives as text too.
    const streamed = streamText(call);
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(first.text);
    expect((await streamed.providerMetadata)?.sirllm).toMatchObject({ replayed: true });
  });

  it('200 turns stay within capacity and keep reading the cache: only each new message is evaluated', async () => {
    const { sirllm, backend } = provider({ capacity: 128, maxOutputTokens: 4 });
    const messages: ModelMessage[] = [];
    let evicted = 0;
    for (let turn = 0; turn < 200; turn++) {
      messages.push({ role: 'user', content: question(turn) });
      const result = await generateText({ model: sirllm(), messages, providerOptions: session('long') });
      const memory = result.providerMetadata?.sirllm as {
        resident: number;
        evicted: number;
        rebuilt: boolean;
      };
      expect(memory.rebuilt).toBe(false);
      expect(memory.resident).toBeLessThanOrEqual(128);
      expect(memory.evicted).toBeGreaterThanOrEqual(evicted);
      evicted = memory.evicted;
      const newMessage = backend.tokenize(question(turn)).length;
      // What is evaluated is the new message with its template framing, never the history again.
      expect(result.usage.inputTokenDetails.noCacheTokens).toBeLessThan(newMessage + 16);
      const cacheRead = result.usage.inputTokenDetails.cacheReadTokens ?? 0;
      if (turn >= 10) expect(cacheRead / (result.usage.inputTokens ?? 1)).toBeGreaterThan(0.9);
      if (turn === 199) expect(cacheRead / (result.usage.inputTokens ?? 1)).toBeGreaterThan(0.99);
      messages.push({ role: 'assistant', content: result.text });
    }
    expect(evicted).toBeGreaterThan(1000);
  });
});

describe.skipIf(!aiSdkSupported)('tools and JSON output on a backend without constrained sampling', () => {
  it('throw UnsupportedFunctionalityError naming the backend; unsupported settings come back as warnings', async () => {
    const { sirllm, backend } = provider();
    const weather = tool({
      description: 'The forecast for a city.',
      inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
    });
    const attempts = [
      generateText({ model: sirllm(), prompt: 'Hi', tools: { weather } }),
      generateText({
        model: sirllm(),
        prompt: 'Hi',
        output: Output.object({
          schema: jsonSchema<{ a: number }>({ type: 'object', properties: { a: { type: 'number' } } }),
        }),
      }),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((caught: unknown) => caught);
      expect(UnsupportedFunctionalityError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(backend.info.name);
      expect((error as Error).message).toMatch(/llama\.cpp/);
    }
    // toolChoice none: free text, nothing to constrain.
    const none = await generateText({
      model: sirllm(),
      prompt: 'Hi',
      tools: { weather },
      toolChoice: 'none',
    });
    expect(none.toolCalls).toEqual([]);
    const warned = await generateText({ model: sirllm(), prompt: 'Hi', presencePenalty: 0.5 });
    expect(warned.warnings).toContainEqual({ type: 'unsupported', feature: 'presencePenalty' });
  });
});
