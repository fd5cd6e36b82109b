import { type ChatTemplate, InvalidOptionError } from '@sirllm/core';

/** The slice of a transformers.js tokenizer the backend uses. */
export interface TokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(
    tokens: number[],
    options?: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean },
  ): string;
  apply_chat_template(
    messages: { role: string; content: string }[],
    options: Record<string, unknown>,
  ): unknown;
  readonly all_special_tokens?: readonly string[];
  readonly added_tokens?: readonly { readonly content: string }[];
  readonly chat_template?: unknown;
}

/**
 * The tokenizer's `chat_template` as a SirLLM {@link ChatTemplate} (rendered by transformers.js' Jinja
 * engine), or undefined when the tokenizer has none. A template that fails to render a conversation
 * throws `InvalidOptionError` (option `messages`).
 */
export function tokenizerChatTemplate(
  tokenizer: TokenizerLike,
  assertUsable: () => void,
): ChatTemplate | undefined {
  if (typeof tokenizer.chat_template !== 'string' && typeof tokenizer.chat_template !== 'object')
    return undefined;
  if (!tokenizer.chat_template) return undefined;
  return {
    name: 'tokenizer_config.json chat_template',
    render(messages, { addGenerationPrompt }) {
      assertUsable();
      try {
        return String(
          tokenizer.apply_chat_template(
            messages.map(({ role, content }) => ({ role, content })),
            { tokenize: false, add_generation_prompt: addGenerationPrompt },
          ),
        );
      } catch (cause) {
        throw new InvalidOptionError({
          option: 'messages',
          value: messages,
          expected: `messages the model's chat template can render (${(cause as Error).message})`,
        });
      }
    },
  };
}

/**
 * Encodes text with special-token text (such as `<s>`) treated as plain characters. transformers.js
 * always parses added tokens, so each occurrence is cut after its first character, which keeps it from
 * matching. Limitation: merges that would span that cut are not applied (only inside the literal
 * special-token text).
 */
export function encodePlainText(tokenizer: TokenizerLike, text: string): number[] {
  const specials = specialTexts(tokenizer);
  if (specials.length === 0 || !specials.some((special) => text.includes(special))) {
    return tokenizer.encode(text, { add_special_tokens: false });
  }
  const pattern = new RegExp(`(${specials.map(escapeForPattern).join('|')})`);
  const ids: number[] = [];
  let buffer = '';
  text.split(pattern).forEach((part, index) => {
    if (index % 2 === 0) {
      buffer += part;
      return;
    }
    buffer += part.slice(0, 1);
    ids.push(...tokenizer.encode(buffer, { add_special_tokens: false }));
    buffer = part.slice(1);
  });
  if (buffer.length > 0) ids.push(...tokenizer.encode(buffer, { add_special_tokens: false }));
  return ids;
}

function specialTexts(tokenizer: TokenizerLike): string[] {
  const texts = new Set<string>(tokenizer.all_special_tokens ?? []);
  for (const token of tokenizer.added_tokens ?? []) texts.add(token.content);
  return [...texts].filter((text) => text.length > 1).sort((a, b) => b.length - a.length);
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
