import type { JSONObject, LanguageModelV4FinishReason, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { ChatTurn } from '@sirllm/chat';

/**
 * The unified finish reason of a turn, with SirLLM's own as `raw`: a tool call → `tool-calls`; the
 * end token, a stop sequence or a complete constrained value → `stop`; `maxOutputTokens` → `length`; a
 * cache too full to evict for the reply (`cache-full`) → `other`.
 */
export function finishReasonOf(turn: ChatTurn): LanguageModelV4FinishReason {
  const raw = turn.finishReason;
  if (turn.toolCalls.length > 0) return { unified: 'tool-calls', raw };
  switch (raw) {
    case 'end-of-generation':
    case 'stop-sequence':
    case 'constraint-complete':
      return { unified: 'stop', raw };
    case 'max-tokens':
      return { unified: 'length', raw };
    case 'cache-full':
      return { unified: 'other', raw };
  }
}

/** Usage: `cacheRead` = prompt tokens reused from the session's KV cache, `noCache` = tokens evaluated. */
export function usageOf(turn: ChatTurn): LanguageModelV4Usage {
  const { usage } = turn;
  return {
    inputTokens: {
      total: usage.inputTokens,
      noCache: usage.evaluatedTokens,
      cacheRead: usage.cacheReadTokens,
      cacheWrite: undefined,
    },
    outputTokens: { total: usage.outputTokens, text: usage.outputTokens, reasoning: undefined },
  };
}

/** What `providerMetadata.sirllm` reports of the session after the call. */
export function memoryMetadataOf(turn: ChatTurn): { sirllm: JSONObject } {
  const { memory } = turn;
  return {
    sirllm: {
      sessionId: memory.sessionId ?? null,
      rebuilt: memory.rebuilt,
      evaluatedTokens: turn.usage.evaluatedTokens,
      resident: memory.resident,
      evicted: memory.evicted,
      capacity: memory.capacity,
      turns: memory.turns,
      policy: memory.policy,
      replayed: memory.replayed === true,
    },
  };
}
