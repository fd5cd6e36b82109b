/** Who wrote a chat message. */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** One message of a conversation, as a chat template renders it. */
export interface ChatMessage {
  /** Who wrote it. */
  readonly role: ChatRole;
  /** Its text. */
  readonly content: string;
}

/**
 * Renders a conversation in the model's own chat format, as text that `KVBackend.tokenize(text,
 * { special: true })` turns into tokens.
 *
 * Contract, which incremental chat (feeding only the new messages of a growing history) relies on:
 * for every conversation `m` and every k ≤ m.length,
 * `render(m.slice(0, k), { addGenerationPrompt: false })` is a prefix of
 * `render(m, { addGenerationPrompt })`, and `render(m, { addGenerationPrompt: true })` is a prefix of
 * `render([...m, { role: 'assistant', content }], { addGenerationPrompt: false })`. Integrations check
 * the prefix property at run time and fall back to re-feeding where a template breaks it.
 *
 * A rendering that ends with an assistant message may close it at once (e.g. with an end-of-turn token)
 * or leave it open until another message follows (node-llama-cpp's renderer does); both satisfy the
 * contract, and an incremental integration then feeds the closing text with the next message.
 */
export interface ChatTemplate {
  /** Name of the format, e.g. `chatml` or `llama-3`, for diagnostics. */
  readonly name: string;
  /** The conversation as text; with `addGenerationPrompt`, followed by the opening of an assistant reply. */
  render(messages: readonly ChatMessage[], options: { readonly addGenerationPrompt: boolean }): string;
}
