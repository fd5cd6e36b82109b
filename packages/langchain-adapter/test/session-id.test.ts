import { InMemoryChatMessageHistory } from '@langchain/core/chat_history';
import { AIMessage, type AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { createMemorySessionLeases, createMemorySessionStore } from '@sirllm/chat';
import { InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { ChatSirLLM } from '../src/index.js';

const model = createTinyLlama({ layers: 1, seed: 21 });
const chatModel = () =>
  new ChatSirLLM({ backend: createReferenceBackend({ model }), capacity: 256, maxTokens: 4 });
const sessionOf = (reply: AIMessageChunk) =>
  (reply.response_metadata.sirllm as { session_id: string }).session_id;

describe('ChatSirLLM: which session a call continues', () => {
  it('reads configurable.sessionId through a chain, with no cast', async () => {
    const chat = chatModel();
    const prompt = ChatPromptTemplate.fromMessages([['human', '{question}']]);
    const chain = prompt.pipe(chat);
    const reply = await chain.invoke({ question: 'hello' }, { configurable: { sessionId: 'user-42' } });
    expect(sessionOf(reply)).toBe('user-42');
    // Directly on the model too.
    expect(sessionOf(await chat.invoke('hi', { configurable: { sessionId: 'direct' } }))).toBe('direct');
    expect(sessionOf(await chat.invoke('hi'))).toBe('default');
    expect(chat.sessionCount).toBe(3);
  });

  it('prefers the call option sessionId to configurable.sessionId', async () => {
    const chat = chatModel();
    const reply = await chat.invoke('hi', { sessionId: 'option', configurable: { sessionId: 'configured' } });
    expect(sessionOf(reply)).toBe('option');
  });

  it('refuses a configurable.sessionId that is not a non-empty string, naming it', async () => {
    const chat = chatModel();
    const error = await chat.invoke('hi', { configurable: { sessionId: 7 } }).catch((caught) => caught);
    expect(InvalidOptionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('configurable.sessionId');
    expect(chat.sessionCount).toBe(0);
  });

  it('keeps one cache per history inside RunnableWithMessageHistory, reused from the second turn', async () => {
    const chat = chatModel();
    const histories = new Map<string, InMemoryChatMessageHistory>();
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are brief.'],
      new MessagesPlaceholder('history'),
      ['human', '{question}'],
    ]);
    const withHistory = new RunnableWithMessageHistory({
      runnable: prompt.pipe(chat),
      getMessageHistory: (sessionId: string) => {
        const history = histories.get(sessionId) ?? new InMemoryChatMessageHistory();
        histories.set(sessionId, history);
        return history;
      },
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    const replies: AIMessageChunk[] = [];
    for (let turn = 0; turn < 4; turn++) {
      for (const sessionId of ['alice', 'bob']) {
        const reply = (await withHistory.invoke(
          { question: `${sessionId} asks question ${turn}` },
          { configurable: { sessionId } },
        )) as AIMessageChunk;
        expect(sessionOf(reply)).toBe(sessionId);
        if (sessionId === 'alice') replies.push(reply);
      }
    }
    expect(chat.sessionCount).toBe(2);
    expect((await histories.get('alice')?.getMessages())?.length).toBe(8);
    const [first, ...later] = replies;
    expect(first?.usage_metadata?.input_token_details?.cache_read).toBe(0);
    for (const reply of later) {
      expect(reply.usage_metadata?.input_token_details?.cache_read).toBeGreaterThan(0);
      expect((reply.response_metadata.sirllm as { rebuilt: boolean }).rebuilt).toBe(false);
    }
  });

  it('streams through a chain into the configured session too', async () => {
    const chat = chatModel();
    const chain = ChatPromptTemplate.fromMessages([['human', '{question}']]).pipe(chat);
    let last: AIMessageChunk | undefined;
    for await (const chunk of await chain.stream(
      { question: 'hello' },
      { configurable: { sessionId: 'streamed' } },
    )) {
      last = last ? last.concat(chunk) : chunk;
    }
    expect(last && sessionOf(last)).toBe('streamed');
    expect(chat.sessionCount).toBe(1);
  });
});

describe('ChatSirLLM: requestId', () => {
  it('a retry with the same requestId returns the recorded reply, streamed or not', async () => {
    const chat = new ChatSirLLM({
      backend: createReferenceBackend({ model: createTinyLlama({ layers: 1, seed: 21 }) }),
      capacity: 128,
      maxTokens: 5,
    });
    const messages = [new HumanMessage('Question 1: what is one plus three?')];
    const first = await chat.invoke(messages, { sessionId: 's', requestId: 'r1' });
    const again = await chat.invoke(messages, { sessionId: 's', requestId: 'r1' });
    expect(again.content).toBe(first.content);
    expect(again.response_metadata.sirllm).toMatchObject({ replayed: true, turns: 1 });
    let streamed = '';
    for await (const chunk of await chat.stream(messages, { sessionId: 's', requestId: 'r1' })) {
      streamed += chunk.content;
    }
    expect(streamed).toBe(first.content);
  });
});

describe('ChatSirLLM: leases', () => {
  it('two models sharing a store and leases continue one conversation as one model alone does', async () => {
    const model = createTinyLlama({ layers: 1, seed: 21 });
    const leases = createMemorySessionLeases();
    const sessionStore = createMemorySessionStore({ leases });
    const shared = [0, 1].map(
      () =>
        new ChatSirLLM({
          backend: createReferenceBackend({ model }),
          capacity: 96,
          maxTokens: 4,
          sessionStore,
          leases,
        }),
    );
    const alone = new ChatSirLLM({ backend: createReferenceBackend({ model }), capacity: 96, maxTokens: 4 });
    const history: BaseMessage[] = [];
    for (let turn = 0; turn < 6; turn++) {
      history.push(new HumanMessage(`Question ${turn}: what is ${turn} plus ${turn * 3}?`));
      const reply = await (shared[turn % 2] as ChatSirLLM).invoke(history, { sessionId: 's' });
      const expected = await alone.invoke(history, { sessionId: 's' });
      expect(reply.content).toBe(expected.content);
      expect(reply.response_metadata.sirllm).toMatchObject({ turns: turn + 1, rebuilt: false });
      history.push(new AIMessage(String(reply.content)));
    }
  });
});
