import type { MemorySession } from '@sirllm/core';

/** The prompt of one user turn (the paper's Vicuna format). */
export const userTurn = (text: string) => `USER: ${text}\n\nASSISTANT:`;

/**
 * Feeds `turns` as user turns, each followed by a generated reply, and returns the surprisal of every
 * stream position (what `memoryView` colours by). Sampling is seeded per turn, so runs repeat.
 */
export async function runConversation(
  session: MemorySession,
  turns: readonly string[],
  { maxTokens = 16, signal }: { maxTokens?: number; signal?: AbortSignal } = {},
): Promise<number[]> {
  const surprisal: number[] = [];
  for (const [index, turn] of turns.entries()) {
    const input = session.backend.tokenize(`${index === 0 ? '' : '\n'}${userTurn(turn)}`);
    await session.beginTurn({ incoming: input.length });
    const fed = await session.ingest(input, { ...(signal ? { signal } : {}) });
    surprisal.push(...fed.surprisal);
    const reply = await session.generate({
      maxTokens,
      stop: ['\nUSER:'],
      sampling: { temperature: 0.7, seed: index + 1 },
      ...(signal ? { signal } : {}),
    });
    surprisal.push(...reply.surprisal);
  }
  return surprisal;
}

/** A short conversation whose first turn holds a fact worth keeping. */
export const sampleConversation = [
  'Remember this: my locker code is QX-7731-ZEBRA and my cat is called Mochi.',
  'What is a good breakfast before a long walk?',
  'Tell me something about the weather in spring.',
  'How do I keep basil alive on a windowsill?',
  'Any tips for falling asleep earlier?',
  'What was my locker code again?',
];
