import type { ByteLevelTokenizer } from '@sirllm/testkit';
import type { Conversation } from './build-conversations.js';

/** A conversation as tokens and per-token loss weights (the weight of predicting that token). */
export interface EncodedConversation {
  readonly tokens: number[];
  readonly weights: number[];
}

/**
 * Encodes a conversation turn by turn in the testkit chat format, the way the evaluation harness feeds
 * a turn (`<s><|user|>…<|end|><|assistant|>`, then the answer and `<|end|>`). Stops before the turn that
 * would pass `maximumTokens`.
 */
export function encodeConversation(
  tokenizer: ByteLevelTokenizer,
  conversation: Conversation,
  maximumTokens: number,
): EncodedConversation {
  const tokens: number[] = [];
  const weights: number[] = [];
  for (const turn of conversation.turns) {
    const context = tokenizer.encode(`<s><|user|>${turn.user}<|end|><|assistant|>`, { special: true });
    const answer = tokenizer.encode(`${turn.assistant}<|end|>`, { special: true });
    if (tokens.length + context.length + answer.length > maximumTokens) break;
    for (const token of context) {
      tokens.push(token);
      weights.push(1);
    }
    for (const token of answer) {
      tokens.push(token);
      weights.push(turn.answerWeight);
    }
  }
  return { tokens, weights };
}
