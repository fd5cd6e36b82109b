import type { GenerateResult } from '@sirllm/core';

/**
 * Whether a grammar-constrained generation holds its whole JSON value. A grammar may require text after
 * the value (node-llama-cpp's bare-number grammars end with newlines), and generation reports
 * `constraint-complete` only after it, so `maxTokens`, a full cache or a stop sequence can end a
 * generation with the value already whole. Every text the grammar allowed is a prefix of a valid reply, so a text that
 * parses is the whole value, except a bare number, which more digits could still extend: only the
 * whitespace after it shows that it ended.
 */
export function holdsCompleteJsonValue(result: GenerateResult): boolean {
  if (result.finishReason === 'constraint-complete') return true;
  let value: unknown;
  try {
    value = JSON.parse(result.text);
  } catch {
    return false;
  }
  return typeof value !== 'number' || result.text.trimEnd() !== result.text;
}
