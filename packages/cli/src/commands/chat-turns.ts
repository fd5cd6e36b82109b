import { type ChatMessage, type ChatTemplate, closingText } from '@sirllm/core';

/**
 * The text `sirllm chat` feeds each turn, in the model's own chat format: the whole conversation is
 * rendered with the template and only what the session has not seen yet is fed — the opening of the new
 * user message after the closing of the previous reply, exactly as a rendering of the whole history
 * would have it (the `ChatTemplate` prefix contract). The closing of a reply is found with a placeholder
 * reply (`closingText`), as ChatSirLLM finds it, so templates that trim or escape replies still close
 * them. Where a template breaks the prefix contract, the new message is rendered alone (its own
 * beginning-of-text marker included), so the chat goes on instead of failing.
 */
export class ChatTurns {
  readonly #template: ChatTemplate;
  readonly #messages: ChatMessage[] = [];
  /** The rendering the session's input corresponds to so far (with the generation prompt after a user turn). */
  #fed = '';

  constructor(template: ChatTemplate) {
    this.#template = template;
  }

  /** The text to feed for a new user message, up to the opening of the reply. */
  userTurn(content: string): string {
    this.#messages.push({ role: 'user', content });
    const rendered = this.#template.render(this.#messages, { addGenerationPrompt: true });
    const text = rendered.startsWith(this.#fed)
      ? rendered.slice(this.#fed.length)
      : this.#template.render([{ role: 'user', content }], { addGenerationPrompt: true });
    this.#fed = rendered;
    return text;
  }

  /**
   * Records the reply the model wrote (already fed, token by token) and returns the text that closes it
   * in the template (e.g. an end-of-turn token), to be fed now: generation stops at an end token without
   * feeding it. Empty when the template leaves a reply open until the next message.
   */
  reply(content: string): string {
    const closing = closingText(this.#template, this.#messages, this.#fed);
    this.#messages.push({ role: 'assistant', content });
    this.#fed = this.#template.render(this.#messages, { addGenerationPrompt: false });
    return closing;
  }
}
