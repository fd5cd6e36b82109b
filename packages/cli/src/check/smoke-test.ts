import { type KVBackend, MemorySession, sirllm } from '@sirllm/core';
import { ChatTurns } from '../commands/chat-turns.js';

/** One turn of {@link runSmokeTest}. */
export interface SmokeTurn {
  readonly question: string;
  readonly reply: string;
  /** Tokens resident after the turn, and the cache's capacity. */
  readonly resident: number;
  /** Tokens evicted so far (compaction moved the rest). */
  readonly evicted: number;
}

/** Three short user turns that ask the model to keep something in mind and then recall it. */
export const smokeQuestions = [
  'Please remember this: my sister Ana keeps bees and sells honey at the market.',
  'What is a good name for a small grey cat?',
  'Who keeps bees, and what does she sell?',
] as const;

/**
 * A three-turn chat on `backend` over a cache of `capacity` cells with the SirLLM policy: each question
 * in the model's chat format (its template when it has one, `USER:`/`ASSISTANT:` text otherwise), a short
 * sampled reply. The capacity is small on purpose, so the cache evicts and compacts during the test —
 * the operation a model must support for SirLLM.
 */
export async function runSmokeTest(
  backend: KVBackend,
  options: { readonly capacity: number; readonly maxTokens: number; readonly signal?: AbortSignal },
): Promise<SmokeTurn[]> {
  const session = await MemorySession.create({
    backend,
    policy: sirllm({ sinks: 4 }),
    capacity: options.capacity,
  });
  const turns = backend.chatTemplate ? new ChatTurns(backend.chatTemplate) : undefined;
  const results: SmokeTurn[] = [];
  try {
    for (const [index, question] of smokeQuestions.entries()) {
      const input = turns
        ? backend.tokenize(turns.userTurn(question), { special: true })
        : backend.tokenize(`${index === 0 ? '' : '\n'}USER: ${question}\nASSISTANT:`);
      await session.beginTurn({ incoming: input.length });
      await session.ingest(input, options.signal ? { signal: options.signal } : {});
      let reply = '';
      await session.generate({
        maxTokens: options.maxTokens,
        stop: turns ? [] : ['\nUSER:'],
        sampling: { temperature: 0.7, seed: index + 1 },
        ...(options.signal ? { signal: options.signal } : {}),
        onToken: ({ text }) => {
          reply += text;
        },
      });
      const closing = turns?.reply(reply);
      if (closing) await session.ingest(backend.tokenize(closing, { special: true }), { role: 'assistant' });
      const { resident, evicted } = session.statistics;
      results.push({ question, reply, resident, evicted });
    }
  } finally {
    await session.dispose();
  }
  return results;
}
