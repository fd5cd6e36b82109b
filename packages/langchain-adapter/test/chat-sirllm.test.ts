import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { AbortedError, CapabilityUnsupportedError, InvalidOptionError, wrapBackend } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { ChatSirLLM, createFileSessionStore, createMemorySessionStore } from '../src/index.js';
import { countingBackend } from './counting-backend.js';
import { expectIncrementalConversation } from './incremental-conversation.js';

const model = createTinyLlama({ layers: 1, seed: 21 });
const question = (turn: number) => `Question ${turn}: what is ${turn} plus ${turn * 3}?`;

function chat(options: Partial<ConstructorParameters<typeof ChatSirLLM>[0]> = {}) {
  const counted = countingBackend(createReferenceBackend({ model }));
  const chatModel = new ChatSirLLM({ backend: counted.backend, capacity: 128, maxTokens: 6, ...options });
  return { chatModel, ...counted };
}

describe('ChatSirLLM: incremental turns', () => {
  it('200 turns with the whole history each time evaluate only the new messages and the reply', async () => {
    await expectIncrementalConversation({
      chatBackend: createReferenceBackend({ model }),
      directBackend: createReferenceBackend({ model }),
      turns: 200,
      capacity: 128,
    });
  });

  it('editing a past message rewinds to it and answers as if the later turns had never happened', async () => {
    const { chatModel } = chat({ capacity: 1024 });
    const history: BaseMessage[] = [];
    for (let turn = 0; turn < 4; turn++) {
      history.push(new HumanMessage(question(turn)));
      history.push(new AIMessage((await chatModel.invoke(history)).text));
    }
    const edited = [
      ...history.slice(0, 2),
      new HumanMessage('Something else entirely.'),
      new HumanMessage('And now?'),
    ];
    const reply = (await chatModel.invoke(edited)) as AIMessageChunk;
    // A second model that only ever saw the first exchange, then the edited history.
    const { chatModel: witness } = chat({ capacity: 1024 });
    await witness.invoke(history.slice(0, 1));
    const expected = (await witness.invoke(edited)) as AIMessageChunk;
    expect(reply.content).toBe(expected.content);
    expect((reply.response_metadata.sirllm as { rebuilt: boolean }).rebuilt).toBe(true);
    expect((expected.response_metadata.sirllm as { rebuilt: boolean }).rebuilt).toBe(false);
    const cacheRead = reply.usage_metadata!.input_token_details!.cache_read!;
    expect(cacheRead).toBe(expected.usage_metadata!.input_token_details!.cache_read);
    expect(cacheRead).toBeGreaterThan(0);
  });

  it('keeps sessions apart: interleaved sessions answer as if each were alone', async () => {
    const { chatModel } = chat();
    const alone = async (sessionId: string) => {
      const { chatModel: single } = chat();
      const history: BaseMessage[] = [];
      const replies: string[] = [];
      for (let turn = 0; turn < 5; turn++) {
        history.push(new HumanMessage(`${sessionId}: ${question(turn)}`));
        const text = (await single.invoke(history)).text;
        replies.push(text);
        history.push(new AIMessage(text));
      }
      return replies;
    };
    const histories: Record<string, BaseMessage[]> = { a: [], b: [], c: [] };
    const replies: Record<string, string[]> = { a: [], b: [], c: [] };
    for (let turn = 0; turn < 5; turn++) {
      await Promise.all(
        Object.entries(histories).map(async ([sessionId, history]) => {
          history.push(new HumanMessage(`${sessionId}: ${question(turn)}`));
          const text = (await chatModel.invoke(history, { sessionId })).text;
          replies[sessionId]!.push(text);
          history.push(new AIMessage(text));
        }),
      );
    }
    for (const sessionId of ['a', 'b', 'c']) expect(replies[sessionId]).toEqual(await alone(sessionId));
    expect(chatModel.sessionCount).toBe(3);
  });
});

describe('ChatSirLLM: LangChain behaviour', () => {
  it('streams chunks through handleLLMNewToken and ends with usage metadata', async () => {
    const { chatModel } = chat({ maxTokens: 12 });
    const seen: unknown[] = [];
    const chunks: AIMessageChunk[] = [];
    const stream = await chatModel.stream([new HumanMessage('Hello there')], {
      callbacks: [
        { handleLLMNewToken: (_token, _index, _run, _parent, _tags, fields) => seen.push(fields?.chunk) },
      ],
    });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    const text = chunks.map((chunk) => chunk.content).join('');
    const invoked = await chat({ maxTokens: 12 }).chatModel.invoke([new HumanMessage('Hello there')]);
    expect(text).toBe(invoked.text);
    expect(chunks.at(-1)!.usage_metadata!.output_tokens).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((chunk) => chunk !== undefined)).toBe(true);
  });

  it('applies stop sequences from the constructor and the call', async () => {
    const { chatModel } = chat({ maxTokens: 20 });
    const full = (await chatModel.invoke([new HumanMessage('Tell me more')], { sessionId: 'probe' })).text;
    expect(full.length).toBeGreaterThan(4);
    const stopAt = full.slice(2, 4);
    const cut = (
      await chatModel.invoke([new HumanMessage('Tell me more')], { stop: [stopAt], sessionId: 'cut' })
    ).text;
    expect(cut).toBe(full.slice(0, full.indexOf(stopAt)));
  });

  it('honours an aborted signal before and during generation, and the session stays usable', async () => {
    const { chatModel } = chat({ maxTokens: 40 });
    await expect(
      chatModel.invoke([new HumanMessage('Hi')], { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
    const controller = new AbortController();
    const stream = await chatModel.stream([new HumanMessage('Hi')], { signal: controller.signal });
    const error = await (async () => {
      for await (const _chunk of stream) controller.abort();
    })().catch((caught: unknown) => caught);
    expect(AbortedError.isInstance(error) || (error as Error)?.name === 'AbortError').toBe(true);
    const after = (await chatModel.invoke([new HumanMessage('Hi')])) as AIMessageChunk;
    const fresh = await chat({ maxTokens: 40 }).chatModel.invoke([new HumanMessage('Hi')]);
    expect(after.content).toBe(fresh.text);
  });

  it('batches calls, reports LangSmith params, and refuses tools it cannot call', async () => {
    const { chatModel } = chat();
    const results = await chatModel.batch(
      [[new HumanMessage('one')], [new HumanMessage('two')]],
      [{ sessionId: 'x' }, { sessionId: 'y' }],
    );
    expect(results).toHaveLength(2);
    expect(chatModel.getLsParams({ stop: ['\n'] } as never)).toMatchObject({
      ls_provider: 'sirllm',
      ls_model_type: 'chat',
      ls_max_tokens: 6,
      ls_stop: ['\n'],
    });
    expect(ChatSirLLM.lc_name()).toBe('ChatSirLLM');
    expect(chatModel.bindTools([])).toBeDefined();
    expect(() => chatModel.bindTools([{ name: 'add', description: 'adds', schema: {} } as never])).toThrow(
      CapabilityUnsupportedError,
    );
    const reply = (await chatModel.invoke('plain string input')) as AIMessageChunk;
    expect(reply).toBeInstanceOf(AIMessageChunk);
    expect(reply.response_metadata.model).toContain('tiny-llama');
  });

  it('reads text content blocks, and refuses structured output it cannot constrain', async () => {
    const { chatModel } = chat();
    const blocks = new HumanMessage({
      content: [
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'there' },
      ],
    });
    const fromBlocks = await chatModel.invoke([blocks], { sessionId: 'blocks' });
    const fromText = await chatModel.invoke([new HumanMessage('Hello there')], { sessionId: 'text' });
    expect(fromBlocks.text).toBe(fromText.text);
    expect(() =>
      chatModel.withStructuredOutput({ type: 'object', properties: { a: { type: 'string' } } }),
    ).toThrow(CapabilityUnsupportedError);
  });

  it('keeps at most maxSessions sessions, disposing the least recently used', async () => {
    const { chatModel } = chat({ maxSessions: 2 });
    for (const sessionId of ['one', 'two', 'three']) await chatModel.invoke('hi', { sessionId });
    expect(chatModel.sessionCount).toBe(2);
    await chatModel.dispose();
    expect(chatModel.sessionCount).toBe(0);
    expect(
      (await chatModel.invoke('hi', { sessionId: 'one' })).usage_metadata!.input_token_details!.cache_read,
    ).toBe(0);
  });

  it('rejects bad construction with typed errors', () => {
    const backend = createReferenceBackend({ model });
    expect(() => new ChatSirLLM({ backend, capacity: 0 })).toThrow(/capacity/);
    expect(() => new ChatSirLLM({ backend: {} as never, capacity: 8 })).toThrow(/backend/);
    const withoutTemplate = wrapBackend(backend, { omit: ['chatTemplate'] });
    expect(() => new ChatSirLLM({ backend: withoutTemplate, capacity: 8 })).toThrow(/chat template/);
  });
});

describe('ChatSirLLM: parking sessions in a store', () => {
  it('a session evicted to the store continues exactly as if it had stayed in memory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sirllm-sessions-'));
    const store = createFileSessionStore(directory);
    const { chatModel: parked, evaluated } = chat({ maxSessions: 1, sessionStore: store });
    const { chatModel: resident } = chat({ maxSessions: 4 });
    const histories: Record<string, BaseMessage[]> = { a: [], b: [] };
    for (let turn = 0; turn < 4; turn++) {
      for (const sessionId of ['a', 'b']) {
        const history = histories[sessionId]!;
        history.push(new HumanMessage(`${sessionId}: ${question(turn)}`));
        const before = evaluated();
        const reply = (await parked.invoke(history, { sessionId })) as AIMessageChunk;
        const expected = (await resident.invoke(history, { sessionId })) as AIMessageChunk;
        expect(reply.content).toBe(expected.content);
        expect(reply.usage_metadata).toEqual(expected.usage_metadata);
        if (turn > 0) expect(evaluated() - before).toBeLessThan(60); // only the new turn, after a restore
        history.push(new AIMessage(reply.text));
      }
    }
    expect(parked.sessionCount).toBe(1);
    expect(await store.load('a')).toBeInstanceOf(Uint8Array);
    await parked.forget('a');
    expect(await store.load('a')).toBeUndefined();
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses a corrupt saved session with a typed error instead of silently starting over', async () => {
    const store = createMemorySessionStore();
    const { chatModel } = chat({ sessionStore: store });
    await chatModel.invoke('hello', { sessionId: 's' });
    await chatModel.dispose('s');
    const saved = (await store.load('s'))!;
    saved[saved.length - 3] = (saved[saved.length - 3]! + 1) % 256;
    await store.save('s', saved);
    await expect(chatModel.invoke('hello', { sessionId: 's' })).rejects.toSatisfy(
      InvalidOptionError.isInstance,
    );
    await chatModel.forget('s');
    const fresh = await chatModel.invoke('hello', { sessionId: 's' });
    expect(fresh.usage_metadata!.input_token_details!.cache_read).toBe(0);
  });
});
