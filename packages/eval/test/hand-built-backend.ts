import type { ChatTemplate } from '@sirllm/core';
import { asciiVocabulary, type LogitRule, logitScript, ScriptedBackend } from '@sirllm/testkit';

/**
 * The testkit's scripted backend with next-token logits written by hand as a function of the resident
 * text, so every surprisal and argmax can be worked out on paper:
 * - vocabulary: `~` (id 0, never in the data: the argmax when all logits tie), the merged tokens
 *   ` A` … ` E` and ` OK`, then every other printable ASCII character and `\n`;
 * - tokenization: greedy longest match;
 * - surprisal of a fed token = ln Σ exp(logits) − logit(token), from the rule applied to the text of
 *   the tokens resident before it (after eviction, evicted text is invisible to the rule).
 */
export function handBuiltBackend(
  rule: LogitRule = () => ({}),
  { chatTemplate }: { chatTemplate?: ChatTemplate } = {},
): ScriptedBackend {
  return new ScriptedBackend({
    name: 'hand-built',
    vocabulary: asciiVocabulary(['~', ' A', ' B', ' C', ' D', ' E', ' OK']),
    script: logitScript(rule),
    ...(chatTemplate ? { chatTemplate } : {}),
  });
}
