import type { KVBackend } from '@sirllm/core';
import { type PromptFormatName, renderPrompt } from '../prompt/prompt-format.js';

/** A question as tokens: the context, and each option's continuation tokens. */
export interface EncodedQuestion {
  /** The context's tokens. */
  readonly context: readonly number[];
  /** Each option's continuation tokens, in option order. */
  readonly continuations: readonly (readonly number[])[];
}

/**
 * Tokenizes a question like lm-eval-harness: the context alone, then context + continuation as one
 * text, and the continuation is whatever follows the context's token count (so a tokenizer that merges
 * across the boundary is handled the way the reference code handles it). No BOS token is added.
 */
export function encodeQuestion(
  backend: KVBackend,
  format: PromptFormatName,
  question: string,
  continuations: readonly string[],
): EncodedQuestion {
  const texts = renderPrompt(format, question, continuations, backend);
  const options = { special: texts.special };
  const context = backend.tokenize(texts.context, options);
  return {
    context,
    continuations: texts.wholes.map((whole) => backend.tokenize(whole, options).slice(context.length)),
  };
}
