import type { ChatMessage, ChatTemplate } from './chat-template.js';

/**
 * What `template` writes after an assistant reply's text (e.g. an end-of-turn token), often empty, found
 * by rendering a placeholder reply after `history` (`withPrompt` is `history` rendered with the
 * generation prompt). Templates may trim or escape a real reply, but not a plain word, so the closing is
 * found whatever the model wrote. Integrations feed it after a reply: generation stops at an end token
 * without feeding it.
 */
export function closingText(
  template: ChatTemplate,
  history: readonly ChatMessage[],
  withPrompt: string,
): string {
  const placeholder = 'SirLLMReplyPlaceholder';
  const rendered = template.render([...history, { role: 'assistant', content: placeholder }], {
    addGenerationPrompt: false,
  });
  const at = rendered.indexOf(placeholder, withPrompt.length > 0 ? withPrompt.length - 1 : 0);
  return at < 0 ? '' : rendered.slice(at + placeholder.length);
}
