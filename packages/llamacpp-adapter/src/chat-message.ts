import type { ChatMessage } from '@sirllm/core';

export type { ChatMessage };

/** Options of `LlamaCppBackend.formatChat`. */
export interface FormatChatOptions {
  /** End with the opening of an assistant turn, ready for generation (default true). */
  readonly addGenerationPrompt?: boolean;
}

/** A rendered conversation: the text and its tokens (special tokens as their ids). */
export interface FormattedChat {
  /** The rendered text. */
  readonly text: string;
  /** Its tokens, special tokens as their ids. */
  readonly tokens: number[];
}
