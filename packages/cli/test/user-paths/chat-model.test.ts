import { InMemoryChatMessageHistory } from '@langchain/core/chat_history';
import { type AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableWithMessageHistory } from '@langchain/core/runnables';
import { ChatSirLLM } from '@sirllm/langchain';
import { describe, expect, it } from 'vitest';
import { type ExpectedTurn, expectedChat } from './expected-replies.js';
import { type OpenedBackend, openForSuite, userPathBackends } from './user-path-backends.js';

// User path 2: LangChain's ChatSirLLM — invoke, stream, and a prompt | model chain inside
// RunnableWithMessageHistory, where each session's KV cache must carry over from turn to turn.

/** The first three questions of a held-out-style Grocery episode, in the training data's format. */
const commonsense = [
  'Where would you find a lot of books? Choices:  (A) pool (B) library (C) stadium (D) forest (E) beach ',
  'What do you use to cut paper? Choices:  (A) spoon (B) scissors (C) pillow (D) bucket (E) candle ',
  'What do people wear on their feet? Choices:  (A) hats (B) gloves (C) scarves (D) shoes (E) rings ',
];

/** Two conversations per model: alice's five turns and bob's two. */
function conversationsFor(opened: OpenedBackend): { alice: string[]; bob: string[]; maxTokens: number } {
  if (opened.model === 'testkit') {
    return {
      alice: [
        'Tell me about the weather in spring.',
        'And in autumn?',
        'What should I plant first?',
        'How often should I water it?',
        'Thanks, that helps.',
      ],
      bob: ['Hello there.', 'Who are you?'],
      maxTokens: 8,
    };
  }
  return {
    alice: [
      'I want you to buy the GROCERY: [cheese]. ',
      ...commonsense,
      'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) tea (B) eggs (C) cheese (D) rice ',
    ],
    bob: [
      'I want you to buy the GROCERY: [coffee]. ',
      'Which one is the GROCERY that I want you to buy earlier?',
    ],
    maxTokens: 12,
  };
}

interface SirLLMMetadata {
  session_id: string;
  rebuilt: boolean;
  evaluated_tokens: number;
  evicted: number;
}

/** Checks one reply against the turn computed without ChatSirLLM. */
function expectTurn(reply: AIMessageChunk, expected: ExpectedTurn, sessionId: string, turn: number): void {
  const context = `${sessionId}, turn ${turn + 1}`;
  expect(reply.content, context).toBe(expected.reply);
  const metadata = reply.response_metadata.sirllm as SirLLMMetadata;
  expect(metadata.session_id, context).toBe(sessionId);
  // The cache was reused: only the new message was evaluated, never the history again.
  expect(metadata.rebuilt, context).toBe(false);
  expect(metadata.evicted, context).toBe(0);
  expect(metadata.evaluated_tokens, context).toBe(expected.evaluated);
  expect(reply.usage_metadata?.input_token_details?.cache_read, context).toBe(expected.cacheRead);
  if (turn > 0) expect(expected.cacheRead, context).toBeGreaterThan(0);
  expect(reply.usage_metadata?.input_tokens, context).toBe(expected.cacheRead + expected.evaluated);
  expect(reply.usage_metadata?.output_tokens, context).toBe(expected.replyTokens.length);
}

for (const factory of userPathBackends()) {
  describe(`ChatSirLLM on ${factory.name}`, () => {
    const use = openForSuite(factory);

    it('invoke gives the greedy reply; stream gives the same text in chunks', async () => {
      const opened = use();
      const { alice, maxTokens } = conversationsFor(opened);
      const [expected] = await expectedChat(opened, alice.slice(0, 1), maxTokens);
      const chat = new ChatSirLLM({ backend: opened.backend, capacity: 512, maxTokens, temperature: 0 });
      const messages = [new HumanMessage(alice[0] as string)];
      const invoked = (await chat.invoke(messages, { sessionId: 'invoke' })) as AIMessageChunk;
      expectTurn(invoked, expected as ExpectedTurn, 'invoke', 0);
      const chunks: AIMessageChunk[] = [];
      for await (const chunk of await chat.stream(messages, { sessionId: 'stream' })) chunks.push(chunk);
      expect(chunks.map((chunk) => chunk.content).join('')).toBe(invoked.content);
      // The usage comes with the last chunk; a multi-token reply arrives in more than one text chunk.
      expect(chunks.at(-1)?.usage_metadata?.output_tokens).toBe(expected?.replyTokens.length);
      if (opened.model === 'testkit') {
        expect(chunks.filter((chunk) => chunk.content !== '').length).toBeGreaterThan(1);
      }
      await chat.dispose();
    });

    it('prompt.pipe(model) in RunnableWithMessageHistory: five turns on one KV cache; two sessionIds, two sessions', async () => {
      const opened = use();
      const { alice, bob, maxTokens } = conversationsFor(opened);
      const expected = {
        alice: await expectedChat(opened, alice, maxTokens),
        bob: await expectedChat(opened, bob, maxTokens),
      };
      const chat = new ChatSirLLM({ backend: opened.backend, capacity: 512, maxTokens, temperature: 0 });
      const prompt = ChatPromptTemplate.fromMessages([
        new MessagesPlaceholder('history'),
        ['human', '{input}'],
      ]);
      const histories = new Map<string, InMemoryChatMessageHistory>();
      const chain = new RunnableWithMessageHistory({
        runnable: prompt.pipe(chat),
        getMessageHistory: (sessionId: string) => {
          let history = histories.get(sessionId);
          if (!history) {
            history = new InMemoryChatMessageHistory();
            histories.set(sessionId, history);
          }
          return history;
        },
        inputMessagesKey: 'input',
        historyMessagesKey: 'history',
      });
      const turn = async (sessionId: 'alice' | 'bob', index: number) => {
        const inputs = sessionId === 'alice' ? alice : bob;
        const reply = (await chain.invoke(
          { input: inputs[index] },
          { configurable: { sessionId } },
        )) as AIMessageChunk;
        expectTurn(reply, expected[sessionId][index] as ExpectedTurn, sessionId, index);
        return reply;
      };
      // Interleaved: one shared session would see each history diverge from the other and rebuild.
      const replies = [await turn('alice', 0)];
      await turn('bob', 0);
      replies.push(await turn('alice', 1));
      await turn('bob', 1);
      for (const index of [2, 3, 4]) replies.push(await turn('alice', index));
      expect(chat.sessionCount).toBe(2);
      expect(await histories.get('alice')?.getMessages()).toHaveLength(10);
      if (opened.model === 'bundled') {
        // The trained model: "OK" to the request, and the grocery when asked for it four turns later.
        expect(replies[0]?.content).toBe('OK');
        expect(replies[4]?.content).toBe('cheese');
        expect(expected.bob.map((each) => each.reply)).toEqual(['OK', 'coffee']);
      }
      await chat.dispose();
    });
  });
}
