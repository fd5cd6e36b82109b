import type { ChatTemplate } from '@sirllm/core';

/**
 * A model family's chat format as the testkit models it: the special tokens its tokenizer has, which of
 * them begin and end text and turns, and the chat template twice — as a TypeScript renderer (`template`,
 * what the reference backend and ChatSirLLM use) and as Jinja text (`jinja`, what GGUF
 * `tokenizer.chat_template` and `tokenizer_config.json` carry). Both render the same string for every
 * conversation (tested with the Jinja engine transformers.js uses).
 *
 * The templates render the BOS themselves, at the start of every conversation, as the real Jinja
 * templates do; the testkit tokenizer never adds one.
 */
export interface FamilyChatFormat {
  /** The format's name (`ChatTemplate.name`), e.g. `llama-3` or `chatml-qwen2`. */
  readonly name: string;
  /**
   * The special tokens' texts in the order of their ids in the real vocabulary (the testkit tokenizer
   * numbers them after its bytes and merges, in this order).
   */
  readonly specialTokens: readonly string[];
  /** The beginning-of-text token, where the family has one (Qwen, SmolLM2 and Phi-3 render none). */
  readonly bosToken?: string;
  /** The end-of-text token (`eos_token`). */
  readonly eosToken: string;
  /** The token that closes a turn (a reply ends with it; generation stops at it or at `eosToken`). */
  readonly endOfTurnToken: string;
  /**
   * Whether the real family's tokenizer prepends the BOS when it encodes text (Hugging Face
   * `add_bos_token`, GGUF `tokenizer.ggml.add_bos_token`). The testkit renders the BOS in the template
   * instead; a writer that sets this must keep callers from adding a second one.
   */
  readonly addBos: boolean;
  /** The chat template as a TypeScript renderer. */
  readonly template: ChatTemplate;
  /** The same template as Jinja text (variables: `messages`, `add_generation_prompt`). */
  readonly jinja: string;
}
