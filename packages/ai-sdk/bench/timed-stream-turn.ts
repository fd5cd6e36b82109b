import { type ModelMessage, streamText } from 'ai';
import type { SirLLMProvider } from '../src/index.js';

/** The system instructions of the benchmark's chat (those of `sirllm bench --chat`). */
export const instructions = 'You keep track of prices.';
/** Most tokens of each reply. */
export const maxOutputTokens = 8;

/** One `streamText` call: its reply, its wall time and the prompt tokens the provider reported. */
export interface TimedTurn {
  readonly text: string;
  /** From the call to the end of `textStream`, in milliseconds. */
  readonly milliseconds: number;
  /** `usage.inputTokenDetails.noCacheTokens`: prompt tokens evaluated by this call. */
  readonly evaluated: number;
  /** `usage.inputTokenDetails.cacheReadTokens`: prompt tokens reused from the session's cache. */
  readonly cached: number;
}

/**
 * Runs one chat turn through the AI SDK's `streamText` on `provider`, greedy, consuming `textStream`
 * to its end. With a `sessionId` the call continues that session; without one it runs on a fresh
 * session (the whole history evaluated again).
 */
export async function timedStreamTurn(
  provider: SirLLMProvider,
  messages: readonly ModelMessage[],
  sessionId?: string,
): Promise<TimedTurn> {
  const start = performance.now();
  const result = streamText({
    model: provider(),
    instructions,
    messages: [...messages],
    maxOutputTokens,
    temperature: 0,
    ...(sessionId === undefined ? {} : { providerOptions: { sirllm: { sessionId } } }),
  });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  const milliseconds = performance.now() - start;
  const usage = await result.usage;
  return {
    text,
    milliseconds,
    evaluated: usage.inputTokenDetails.noCacheTokens ?? Number.NaN,
    cached: usage.inputTokenDetails.cacheReadTokens ?? Number.NaN,
  };
}
